// Torsion's service worker (served from the site's root so that it looks after every page).
// It keeps on the device: the static files the check-in page needs, the offline page, and the
// patient's own check-in page each time it is opened online. Offline, the check-in page (and the
// app's start address) opens from that copy; every other page shows the offline page. Nothing else
// of the record is kept. Check-ins made offline are kept and sent by the page's script (app.js).
"use strict";

const VERSION = "{{ version }}";
const STATIC_CACHE = "torsion-static-" + VERSION;
const PAGE_CACHE = "torsion-pages";
const PRECACHE = {{ precache|safe }};
const OFFLINE_PAGE = {{ offline_page|safe }};
const START_PAGE = {{ start_page|safe }};
const CHECK_IN_PAGE = /^\/patients\/\d+\/check-in\/$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key.startsWith("torsion-static-") && key !== STATIC_CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

// Keep a copy of the check-in page, under its own address and under the app's start address.
// A page reached through a redirect (the log-in page, when the session has ended) is never kept.
async function keepCheckInPage(path, response) {
  if (!response.ok || response.redirected || response.type !== "basic") { return; }
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith("text/html")) { return; }
  const cache = await caches.open(PAGE_CACHE);
  await cache.put(path, response.clone());
  await cache.put(START_PAGE, response.clone());
}

async function navigate(request, url) {
  try {
    const response = await fetch(request);
    if (CHECK_IN_PAGE.test(url.pathname)) { await keepCheckInPage(url.pathname, response.clone()); }
    return response;
  } catch (error) {
    if (CHECK_IN_PAGE.test(url.pathname) || url.pathname === START_PAGE) {
      const pages = await caches.open(PAGE_CACHE);
      const copy = (await pages.match(url.pathname)) || (await pages.match(START_PAGE));
      if (copy) { return copy; }
    }
    const offline = await caches.match(OFFLINE_PAGE, { cacheName: STATIC_CACHE });
    return offline || Response.error();
  }
}

// Static files: the network first (so that a new version is used at once), the kept copy offline.
async function staticFile(request) {
  try {
    const response = await fetch(request);
    if (response.ok && PRECACHE.includes(new URL(request.url).pathname)) {
      const cache = await caches.open(STATIC_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const copy = await caches.match(request, { cacheName: STATIC_CACHE, ignoreSearch: true });
    return copy || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  } else if (PRECACHE.includes(url.pathname)) {
    event.respondWith(staticFile(request));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.keepCheckInPage && CHECK_IN_PAGE.test(data.keepCheckInPage)) {
    // The first visit happens before this worker looks after the page: fetch a copy now.
    event.waitUntil(fetch(data.keepCheckInPage, { credentials: "same-origin" })
      .then((response) => keepCheckInPage(data.keepCheckInPage, response))
      .then(() => event.source && event.source.postMessage({ keptCheckInPage: data.keepCheckInPage }))
      .catch(() => undefined));
  } else if (data.forgetPages) {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    for (const client of windows) {
      if (client.url === target && "focus" in client) { return client.focus(); }
    }
    return self.clients.openWindow(target);
  }));
});

// Torsion as an app on the device: the service worker, check-ins kept on the device while offline
// and sent when the connection is back, and reminders shown as notifications while Torsion is open.
// Every page works without this file; it only adds to them.
(function () {
  "use strict";

  // --- check-ins kept on the device (IndexedDB) ------------------------------------------------------
  // Each item: { key, url, body, label, savedAt, error }. ``key`` is the check-in's own key, also sent
  // to the server, which stores a key only once: an item sent twice (the answer to the first sending
  // was lost) is still one check-in. An item leaves the device only when the server has it.
  var DB_NAME = "torsion";
  var STORE = "checkins";

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("This browser cannot keep check-ins offline.")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
        transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  var queue = {
    add: function (item) { return withStore("readwrite", function (store) { return store.put(item); }); },
    all: function () { return withStore("readonly", function (store) { return store.getAll(); }); },
    remove: function (key) { return withStore("readwrite", function (store) { return store.delete(key); }); }
  };

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (part) { return part.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function announce(detail) {
    document.dispatchEvent(new CustomEvent("torsion:checkins", { detail: detail }));
  }

  function reasonFor(status, body) {
    if (status === 401 || status === 403) {
      return "Torsion did not accept it because you are not logged in here any more. Log in, and it is sent.";
    }
    if (status === 404) {
      return "It belongs to the diary of an account that is not logged in here. Log in to that account to send it.";
    }
    var detail = body && body.detail;
    if (Array.isArray(detail)) { detail = detail.map(function (d) { return d.msg; }).join("; "); }
    return "Torsion did not accept it" + (detail ? ": " + detail : " (answer " + status + ")") + ".";
  }

  function send(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": cookie("csrftoken") },
      body: JSON.stringify(item.body)
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return queue.remove(item.key).then(function () { return true; });
      }
      return response.json().catch(function () { return null; }).then(function (body) {
        item.error = reasonFor(response.status, body);
        return queue.add(item).then(function () { return false; });
      });
    });
  }

  var syncing = null;

  // Send every kept check-in, one after the other; stops at the first network failure (still offline).
  function sync() {
    if (syncing) { return syncing; }
    var sent = [];
    syncing = queue.all().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          return send(item).then(function (ok) { if (ok) { sent.push(item); } });
        });
      }, Promise.resolve());
    }).catch(function () { return undefined; }).then(function () {
      syncing = null;
      return queue.all().catch(function () { return []; }).then(function (pending) {
        announce({ sent: sent, pending: pending });
        if (sent.length) { showSent(sent); }
        return { sent: sent, pending: pending };
      });
    });
    return syncing;
  }

  // On pages without their own place for it (the check-in page has one), say what was sent.
  function showSent(sent) {
    if (document.getElementById("offline-checkins")) { return; }
    var main = document.getElementById("main");
    if (!main) { return; }
    var box = document.createElement("div");
    box.className = "messages";
    box.setAttribute("role", "status");
    var line = document.createElement("p");
    line.className = "message success";
    line.textContent = (sent.length === 1 ? "Your check-in kept on this device is now saved in your diary: "
      : "Your " + sent.length + " check-ins kept on this device are now saved in your diary: ") +
      sent.map(function (item) { return item.label; }).join("; ") + ".";
    box.appendChild(line);
    main.insertBefore(box, main.firstChild);
  }

  window.addEventListener("online", sync);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && navigator.onLine !== false) { sync(); }
  });

  window.Torsion = window.Torsion || {};
  window.Torsion.queue = queue;
  window.Torsion.sync = sync;

  // --- the service worker -------------------------------------------------------------------------------
  var CHECK_IN_PAGE = /^\/patients\/\d+\/check-in\/$/;
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (CHECK_IN_PAGE.test(location.pathname) && navigator.onLine !== false && registration.active) {
        registration.active.postMessage({ keepCheckInPage: location.pathname });
      }
    }).catch(function () { return undefined; });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.keptCheckInPage) {
        document.documentElement.setAttribute("data-offline-ready", "true");
      }
    });
  }

  // Logging out forgets the copy of the check-in page and the reminders (check-ins not yet sent stay).
  document.querySelectorAll('form[action$="/accounts/logout/"]').forEach(function (form) {
    form.addEventListener("submit", function () {
      try { localStorage.removeItem("torsion-reminders"); } catch (e) { /* storage may be off */ }
      if (window.caches) { caches.delete("torsion-pages"); }
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ forgetPages: true });
      }
    });
  });

  // --- reminders ------------------------------------------------------------------------------------------
  function localDay(date) {
    var d = date || new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function readReminders() {
    var element = document.getElementById("torsion-reminders");
    try {
      if (element) {
        localStorage.setItem("torsion-reminders", element.textContent);
        return JSON.parse(element.textContent);
      }
      return JSON.parse(localStorage.getItem("torsion-reminders") || "null");
    } catch (e) {
      return null;
    }
  }

  function shownToday(kind) {
    try { return localStorage.getItem("torsion-reminded-" + kind) === localDay(); } catch (e) { return false; }
  }

  function markShown(kind) {
    try { localStorage.setItem("torsion-reminded-" + kind, localDay()); } catch (e) { /* storage may be off */ }
  }

  function notify(kind, title, body, url) {
    if (!("Notification" in window) || Notification.permission !== "granted" || shownToday(kind)) { return; }
    markShown(kind);
    var options = { body: body, tag: "torsion-" + kind, data: { url: url }, icon: "/static/torsion/img/icon-192.png" };
    function plain() {
      try {
        var note = new Notification(title, options);
        note.onclick = function () { window.focus(); location.href = url; };
      } catch (e) { /* some phones allow notifications only through the service worker */ }
    }
    if (!navigator.serviceWorker || !window.isSecureContext) { plain(); return; }
    // Through the service worker once it is active (phones show notifications only that way).
    var timeout = new Promise(function (resolve) { setTimeout(resolve, 10000, null); });
    Promise.race([navigator.serviceWorker.ready, timeout]).then(function (registration) {
      if (registration && registration.active) { return registration.showNotification(title, options); }
      plain();
    }).catch(plain);
  }

  function daysBetween(fromDay, toDay) {
    var a = fromDay.split("-").map(Number);
    var b = toDay.split("-").map(Number);
    return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86400000);
  }

  function injectionText(injection, today) {
    var days = daysBetween(today, injection.due);
    var when = days === 0 ? "today" : days > 0 ? "in " + days + " day" + (days === 1 ? "" : "s")
      : -days + " day" + (days === -1 ? "" : "s") + " ago";
    var date = new Date(injection.due + "T12:00:00").toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
    if (injection.planned) { return "Your next injection is planned for " + date + " (" + when + ")."; }
    return (days < 0 ? "Your next injection was due around " : "Your next injection is due around ") + date + " (" + when + ").";
  }

  var reminderTimer = null;

  function checkReminders() {
    var config = readReminders();
    if (!config) { return; }
    var now = new Date();
    var today = localDay(now);
    if (config.injection && today >= config.injection.remindFrom) {
      notify("injection", "Your next botulinum-toxin injection", injectionText(config.injection, today), config.dashboardUrl);
    }
    if (config.checkInTime && config.checkedInOn !== today && !shownToday("check-in")) {
      var parts = config.checkInTime.split(":").map(Number);
      var due = new Date(now.getFullYear(), now.getMonth(), now.getDate(), parts[0], parts[1], 0, 0);
      if (now >= due) {
        notify("check-in", "Time for your check-in", "How are you now? A check-in takes under half a minute.", config.checkInUrl);
      } else {
        clearTimeout(reminderTimer);
        reminderTimer = setTimeout(checkReminders, Math.min(due - now + 500, 2147483000));
      }
    }
  }

  window.Torsion.checkReminders = checkReminders;
  window.Torsion.checkedIn = function (day) {
    var config = readReminders();
    if (config) {
      config.checkedInOn = day;
      try { localStorage.setItem("torsion-reminders", JSON.stringify(config)); } catch (e) { /* storage may be off */ }
    }
  };

  // The reminders page: say what this browser allows, and ask only when the person presses the button.
  var state = document.querySelector("[data-notify-state]");
  var allow = document.getElementById("notify-allow");
  function showPermission() {
    if (!state) { return; }
    if (!("Notification" in window)) {
      state.textContent = "This browser cannot show notifications; the line on your dashboard is your reminder.";
    } else if (Notification.permission === "granted") {
      state.textContent = "Notifications are allowed in this browser. They appear while Torsion is open here.";
      if (allow) { allow.hidden = true; }
    } else if (Notification.permission === "denied") {
      state.textContent = "Notifications are blocked for Torsion in this browser's settings; the line on your dashboard is your reminder.";
      if (allow) { allow.hidden = true; }
    } else {
      state.textContent = "Notifications are not allowed yet in this browser.";
      if (allow) { allow.hidden = false; }
    }
  }
  if (allow && "Notification" in window) {
    allow.addEventListener("click", function () {
      Notification.requestPermission().then(function () { showPermission(); checkReminders(); });
    });
  }
  showPermission();

  checkReminders();
  if (navigator.onLine !== false) { sync(); }
})();

// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  // Phone-width menu: a real button with aria-expanded; without JS the menu is simply always shown.
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  }

  // Theme button: switch at once instead of reloading; the server form stays the fallback.
  var labels = { system: "System", light: "Light", dark: "Dark (low glare)" };
  var cycle = { system: "dark", dark: "light", light: "system" };
  document.querySelectorAll("[data-theme-cycle]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var next = button.value;
      root.setAttribute("data-theme", next);
      document.cookie = "torsion_theme=" + next + "; path=/; max-age=31536000; SameSite=Lax";
      button.value = cycle[next];
      button.querySelector(".theme-name").textContent = labels[next];
      var meta = document.querySelector('meta[name="color-scheme"]');
      if (meta) { meta.content = next === "system" ? "light dark" : next; }
    });
  });

  // "Print this page" buttons (the visit report).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Move focus to the first error so keyboard and screen-reader users land on what needs fixing.
  var firstError = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (firstError) { firstError.focus(); }
})();

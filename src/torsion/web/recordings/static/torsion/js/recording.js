// While a recording is being analysed, check its status every two seconds and reload when done.
(function () {
  "use strict";
  var box = document.getElementById("analysis-status");
  if (!box || !box.dataset.statusUrl) { return; }
  var bar = document.getElementById("analysis-progress");
  function check() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        if (body.status === "done" || body.status === "failed") { window.location.reload(); return; }
        if (bar) { bar.value = body.progress; }
        setTimeout(check, 2000);
      })
      .catch(function () { setTimeout(check, 5000); });
  }
  setTimeout(check, 2000);
})();

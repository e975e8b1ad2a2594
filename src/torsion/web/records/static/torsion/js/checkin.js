// The check-in form on a phone that may be offline. Online, the form is sent as usual (by script, so
// that a failed connection is noticed); offline, or when sending fails, the check-in is kept on this
// device (app.js) and sent when the connection is back. Each opening of the page gives the form a
// new key; the server stores a key once, so a check-in is never saved twice.
(function () {
  "use strict";
  var form = document.querySelector("[data-checkin-form]");
  var status = document.getElementById("offline-checkins");
  if (!form || !status || !window.Torsion || !window.Torsion.queue) { return; }
  var queue = window.Torsion.queue;
  var keyInput = form.querySelector("input[name=key]");
  var isToday = form.dataset.today === "true";

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function localDay(date) {
    var d = date || new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function periodNow() {
    var hour = new Date().getHours();
    return hour < 12 ? "morning" : hour < 18 ? "afternoon" : "evening";
  }

  function day() { return isToday ? localDay() : form.dataset.day; }

  // A fresh form: a new key, and (for today) the part of the day from this device's clock.
  function freshForm() {
    if (keyInput) { keyInput.value = newKey(); }
    if (isToday) {
      var period = form.querySelector('input[name=period][value="' + periodNow() + '"]');
      if (period) { period.checked = true; }
    }
  }

  // A copy of today's page kept on the device may be from another day: its list of that day's
  // check-ins is then not today's.
  var earlier = document.querySelector(".earlier-checkins[data-day]");
  if (isToday && earlier && earlier.dataset.day !== localDay()) { earlier.hidden = true; }
  if (!form.querySelector(".has-error")) { freshForm(); }

  function legendOf(input) {
    var group = input.closest("fieldset");
    var legend = group && group.querySelector("legend");
    return legend ? legend.textContent.replace(/:.*$/, "").trim() : input.name;
  }

  // The check-in as the API takes it, and what is missing (the server checks again when it arrives).
  function payload() {
    var data = new FormData(form);
    var body = { date: day(), severity: {}, triggers: data.getAll("triggers"), relievers: data.getAll("relievers"),
                 note: String(data.get("note") || ""), key: keyInput ? keyInput.value : newKey() };
    var missing = [];
    var seen = {};
    form.querySelectorAll('input[type=radio][name^="severity_"]').forEach(function (input) {
      if (seen[input.name]) { return; }
      seen[input.name] = true;
      var value = data.get(input.name);
      if (value === null || value === "") { missing.push(legendOf(input)); }
      else { body.severity[input.name.slice("severity_".length)] = Number(value); }
    });
    ["pain", "limitation"].forEach(function (name) {
      var value = data.get(name);
      body[name] = value === null || value === "" ? null : Number(value);
    });
    var time = data.get("time");
    if (time) { body.time = String(time); } else if (data.get("period")) { body.period = String(data.get("period")); }
    else { missing.unshift("the part of the day"); }
    return { body: body, missing: missing };
  }

  function describe(body) {
    var date = new Date(body.date + "T12:00:00").toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
    return (body.time || body.period) + " check-in, " + date;
  }

  function line(text, className) {
    var p = document.createElement("p");
    if (className) { p.className = className; }
    p.textContent = text;
    return p;
  }

  var lastSaid = null;

  // Show what is kept on this device, what was just sent, and anything Torsion did not accept.
  function render(detail) {
    var pending = (detail && detail.pending) || [];
    var sent = (detail && detail.sent) || [];
    status.textContent = "";
    if (lastSaid) { status.appendChild(line(lastSaid, "message success")); lastSaid = null; }
    if (sent.length) {
      status.appendChild(line("Sent and saved in your diary: " + sent.map(function (item) { return item.label; }).join("; ") + ".",
                              "message success"));
    }
    if (!pending.length) { return; }
    var box = document.createElement("div");
    box.className = "pending" + (pending.some(function (item) { return item.error; }) ? " failed" : "");
    box.appendChild(line(pending.length === 1 ? "1 check-in is kept on this device and not sent yet:"
      : pending.length + " check-ins are kept on this device and not sent yet:"));
    var list = document.createElement("ul");
    pending.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.label + (item.error ? ". " + item.error : "");
      if (item.error) {
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "button secondary";
        drop.textContent = "Remove it from this device";
        drop.addEventListener("click", function () {
          queue.remove(item.key).then(function () { return queue.all(); }).then(function (left) { render({ pending: left }); });
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(drop);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    box.appendChild(line("They are sent by themselves when the connection is back, while Torsion is open."));
    status.appendChild(box);
  }

  document.addEventListener("torsion:checkins", function (event) { render(event.detail); });
  queue.all().then(function (pending) { render({ pending: pending }); }).catch(function () { return undefined; });

  function keepOnDevice(body) {
    var item = { key: body.key, url: form.dataset.apiUrl, body: body, label: describe(body), savedAt: new Date().toISOString() };
    return queue.add(item).then(function () {
      if (window.Torsion.checkedIn) { window.Torsion.checkedIn(body.date); }
      form.reset();
      freshForm();
      lastSaid = "No connection: your check-in is kept on this device. It is sent to your diary when the connection " +
        "is back.";
      return queue.all();
    }).then(function (pending) {
      render({ pending: pending });
      status.setAttribute("tabindex", "-1");
      status.focus();
      window.scrollTo(0, 0);
    });
  }

  function keepOrAsk(built) {
    if (!built.missing.length) { return keepOnDevice(built.body); }
    status.textContent = "";
    status.appendChild(line("Please give " + built.missing.join(", ") + " before saving.", "form-errors"));
    status.setAttribute("tabindex", "-1");
    status.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var built = payload();
    if (navigator.onLine === false) {
      keepOrAsk(built);
      return;
    }
    // Online: send the form itself. A redirect means it was saved; a page back means something to
    // correct (the form is then sent the ordinary way to show it); no answer at all means no connection.
    var submit = form.querySelector("button[type=submit]");
    if (submit) { submit.disabled = true; }
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
          location.href = form.dataset.dashboardUrl;
        } else {
          HTMLFormElement.prototype.submit.call(form);
        }
      })
      .catch(function () {
        if (submit) { submit.disabled = false; }
        keepOrAsk(built);
      });
  });
})();

// Drawing capture. Pointer Events at the device's full rate (getCoalescedEvents where the browser has
// it): time, position in CSS pixels, pressure, tilt and pointer type of every sample. Each lift of
// the pen adds one pen-up sample, and a stylus hovering between strokes adds pen-up samples too, so
// the analysis sees every break. A guide is drawn for the traced spiral, the line and the writing.
// The samples go to the API as captured, with this screen's calibration (pixels per millimetre).
(function () {
  "use strict";
  var section = document.getElementById("drawing-capture");
  var canvas = document.getElementById("drawing-canvas");
  if (!section || !canvas || !canvas.getContext || !window.PointerEvent) { return; }
  section.hidden = false;

  var wrap = document.getElementById("canvas-wrap");
  var statusLine = document.getElementById("drawing-status");
  var saveButton = document.getElementById("save-drawing");
  var clearButton = document.getElementById("clear-drawing");
  var sentence = document.getElementById("writing-sentence");
  var context = canvas.getContext("2d");
  var pxPerMm = section.dataset.pxPerMm ? Number(section.dataset.pxPerMm) : null;
  var session = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : null;
  var samples, lastT, activePointer, box, size, guide, pointerTypes, strokes, saving = false;

  function say(text) { statusLine.textContent = text; }
  function chosen(name) {
    var input = section.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }
  // The theme's colours as the canvas needs them: resolved by the browser from the canvas's own CSS
  // (ink: color; guide lines: border colour; guide dots: caret colour).
  function colour(property) { return getComputedStyle(canvas)[property]; }

  function emptySamples() {
    return { t_s: [], x: [], y: [], pressure: [], pen_down: [], tilt_x_deg: [], tilt_y_deg: [] };
  }

  // --- Layout and guides --------------------------------------------------------------------------

  function spiralGuide(width, height) {
    var turns = 3;
    var radius = Math.min(width, height) / 2 - 14;
    return { centre_x: width / 2, centre_y: height / 2, start_radius: 3, spacing: (radius - 3) / turns,
             turns: turns, start_angle_rad: 0, clockwise: true };
  }

  function paintGuide() {
    var task = chosen("task");
    context.clearRect(0, 0, size.width, size.height);
    context.strokeStyle = colour("borderTopColor");
    context.fillStyle = colour("caretColor");
    context.lineWidth = 2;
    if (guide) {
      context.beginPath();
      for (var phi = 0; phi <= guide.turns * 2 * Math.PI; phi += 0.05) {
        var r = guide.start_radius + guide.spacing * phi / (2 * Math.PI);
        var px = guide.centre_x + r * Math.cos(guide.start_angle_rad + phi);
        var py = guide.centre_y + r * Math.sin(guide.start_angle_rad + phi);
        if (phi === 0) { context.moveTo(px, py); } else { context.lineTo(px, py); }
      }
      context.stroke();
    } else if (task === "line") {
      [0.08, 0.92].forEach(function (f) {
        context.beginPath();
        context.arc(size.width * f, size.height / 2, 7, 0, 2 * Math.PI);
        context.fill();
      });
    } else if (task === "writing") {
      context.lineWidth = 1;
      for (var line = 1; line <= 5; line++) {
        var y = Math.round(size.height * line / 6) + 0.5;
        context.beginPath();
        context.moveTo(8, y);
        context.lineTo(size.width - 8, y);
        context.stroke();
      }
    }
  }

  function layout() {
    var task = chosen("task") || "spiral";
    var width = Math.max(200, Math.floor(wrap.clientWidth));
    var tall = Math.max(240, Math.floor(window.innerHeight * 0.75));
    var height = task === "line" ? Math.round(width * 0.45)
      : task === "writing" ? Math.min(Math.round(width * 0.9), tall, 520)
      : Math.min(width, tall);
    if (task !== "writing" && task !== "line") { width = Math.min(width, height); }
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineCap = "round";
    context.lineJoin = "round";
    size = { width: width, height: height };
    guide = task === "spiral_traced" ? spiralGuide(width, height) : null;
    section.querySelectorAll(".task-instructions li").forEach(function (item) {
      item.hidden = item.dataset.task !== task;
    });
    sentence.hidden = task !== "writing";
    paintGuide();
  }

  function reset(message) {
    samples = emptySamples();
    lastT = -Infinity;
    activePointer = null;
    pointerTypes = {};
    strokes = 0;
    layout();
    say(message || "Draw in the box, then save the drawing.");
  }

  // --- Samples ---------------------------------------------------------------------------------------

  // Adds one sample; a pen-down sample whose time does not move forward is dropped, while the pen-up
  // sample of a lift always goes in (a tenth of a millisecond after the last one if it must).
  function add(event, down) {
    var t = Math.round(event.timeStamp * 10) / 10000;
    if (!(t > lastT)) {
      if (down) { return null; }
      t = Math.round((lastT + 0.0001) * 10000) / 10000;
    }
    var x = event.clientX - box.left;
    var y = event.clientY - box.top;
    var pressure = down ? Math.min(Math.max(event.pressure || 0, 0), 1) : 0;
    samples.t_s.push(t);
    samples.x.push(Math.round(x * 100) / 100);
    samples.y.push(Math.round(y * 100) / 100);
    samples.pressure.push(Math.round(pressure * 1000) / 1000);
    samples.pen_down.push(down ? 1 : 0);
    samples.tilt_x_deg.push(event.tiltX || 0);
    samples.tilt_y_deg.push(event.tiltY || 0);
    lastT = t;
    return { x: x, y: y };
  }

  function ink(from, to) {
    context.strokeStyle = colour("color");
    context.lineWidth = 2.5;
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
  }

  function coalesced(event) {
    var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    return events.length ? events : [event];
  }

  var last = null;
  canvas.addEventListener("pointerdown", function (event) {
    if (activePointer !== null || saving) { return; }  // a second finger or a resting palm
    if (event.pointerType === "mouse" && event.button !== 0) { return; }
    event.preventDefault();
    activePointer = event.pointerId;
    try { canvas.setPointerCapture(event.pointerId); } catch (error) { /* the pointer is already gone */ }
    box = canvas.getBoundingClientRect();
    pointerTypes[event.pointerType] = (pointerTypes[event.pointerType] || 0) + 1;
    last = add(event, true) || last;
    if (last) { ink(last, { x: last.x + 0.1, y: last.y + 0.1 }); }
  });

  canvas.addEventListener("pointermove", function (event) {
    if (event.pointerId === activePointer) {
      event.preventDefault();
      coalesced(event).forEach(function (e) {
        var point = add(e, true);
        if (point) {
          if (last) { ink(last, point); }
          last = point;
        }
      });
    } else if (activePointer === null && event.pointerType === "pen" && samples.t_s.length) {
      box = canvas.getBoundingClientRect();
      coalesced(event).forEach(function (e) { add(e, false); });  // hovering between strokes: in the air
    }
  });

  function lift(event) {
    if (event.pointerId !== activePointer) { return; }
    add(event, false);
    activePointer = null;
    last = null;
    strokes += 1;
    var seconds = samples.t_s.length ? samples.t_s[samples.t_s.length - 1] - samples.t_s[0] : 0;
    say(strokes + (strokes === 1 ? " stroke" : " strokes") + ", " + seconds.toFixed(1) + " s. Save the drawing when you have finished.");
  }
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);

  // --- Choices, clearing, saving -------------------------------------------------------------------

  section.querySelectorAll("input[name=task]").forEach(function (input) {
    input.addEventListener("change", function () {
      reset(samples.t_s.length ? "The box was cleared for the new task." : null);
    });
  });
  clearButton.addEventListener("click", function () { reset("Cleared. Draw again when you are ready."); });
  window.addEventListener("resize", function () {
    if (!samples.t_s.length && Math.floor(wrap.clientWidth) !== size.width) { layout(); }
  });

  function mostUsedPointer() {
    var best = "unknown", count = 0;
    Object.keys(pointerTypes).forEach(function (type) {
      if (pointerTypes[type] > count) { best = type; count = pointerTypes[type]; }
    });
    return ["pen", "touch", "mouse"].indexOf(best) >= 0 ? best : "unknown";
  }

  saveButton.addEventListener("click", function () {
    var hand = chosen("hand");
    if (!hand) {
      say("Choose which hand you drew with before saving.");
      section.querySelector("input[name=hand]").focus();
      return;
    }
    var drawn = samples.pen_down.filter(function (d) { return d === 1; }).length;
    if (drawn < 10) { say("There is nothing to save yet: draw in the box first."); return; }
    saving = true;
    saveButton.disabled = true;
    say("Saving the drawing…");
    var payload = Object.assign({
      task: chosen("task"), hand: hand, pointer_type: mostUsedPointer(), px_per_mm: pxPerMm,
      canvas_width: size.width, canvas_height: size.height, template: guide, session: session
    }, samples);
    fetch(section.dataset.uploadUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": window.TorsionMedia.csrfToken() },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.status === 201, status: response.status, body: body };
      });
    }).then(function (answer) {
      if (answer.ok) {
        say("Saved. Opening the results…");
        window.location.assign(answer.body.page_url);
        return;
      }
      var detail = answer.body && answer.body.detail;
      if (Array.isArray(detail)) { detail = detail.map(function (d) { return d.msg; }).join("; "); }
      saving = false;
      saveButton.disabled = false;
      say("The drawing was not saved: " + String(detail || ("the server answered " + answer.status)).replace(/\.$/, "") + ".");
    }).catch(function () {
      saving = false;
      saveButton.disabled = false;
      say("The drawing could not be sent. Check the connection and try again; the drawing is still here.");
    });
  });

  reset();
})();

// Guided recording: camera preview with a framing guide, a countdown, each task recorded with
// MediaRecorder and uploaded to the API, one video per task. The upload form on the page is the
// fallback when there is no camera or no JavaScript.
(function () {
  "use strict";
  var section = document.getElementById("capture");
  var tasksElement = document.getElementById("capture-tasks");
  if (!section || !tasksElement) { return; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) { return; }
  section.hidden = false;

  var tasks = JSON.parse(tasksElement.textContent);
  var kind = section.dataset.kind;
  var uploadUrl = section.dataset.uploadUrl;
  var preview = document.getElementById("preview");
  var cameraButton = document.getElementById("camera-button");
  var recordButton = document.getElementById("record-button");
  var resultsLink = document.getElementById("results-link");
  var statusLine = document.getElementById("capture-status");
  var countdown = document.getElementById("countdown");
  var cue = document.getElementById("cue");
  var readingText = document.getElementById("reading-text");
  var progress = document.getElementById("task-progress");
  var uploaded = document.getElementById("uploaded");
  var neutralSeconds = Number(section.dataset.neutralSeconds || 0);
  var calibrate = document.getElementById("calibrate");
  var session = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : null;
  var stream = null;
  var current = 0;

  function say(text) { statusLine.textContent = text; }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function pickType() {
    var types = ["video/webm;codecs=vp8", "video/webm;codecs=vp9", "video/webm", "video/mp4"];
    for (var i = 0; i < types.length; i++) {
      if (MediaRecorder.isTypeSupported(types[i])) { return types[i]; }
    }
    return "";
  }

  function nextLabel() {
    var task = tasks[current];
    return "Start task " + (current + 1) + " of " + tasks.length + ": " + task.title + " (" + task.seconds + " s)";
  }

  cameraButton.addEventListener("click", function () {
    say("Asking for the camera…");
    navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 }, facingMode: "user" },
      audio: false
    }).then(function (s) {
      stream = s;
      preview.srcObject = s;
      cameraButton.hidden = true;
      recordButton.hidden = false;
      recordButton.textContent = nextLabel();
      recordButton.focus();
      say("The camera is on. Put your face inside the oval, then start the first task.");
    }).catch(function (error) {
      say("The camera could not be used (" + error.name + "). You can send a video file with the form below.");
    });
  });

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function runCountdown() {
    var steps = [3, 2, 1];
    var chain = Promise.resolve();
    steps.forEach(function (n) {
      chain = chain.then(function () { countdown.textContent = String(n); say("Starting in " + n); return wait(1000); });
    });
    return chain.then(function () { countdown.textContent = ""; });
  }

  // With calibration, a head task starts with a few seconds held straight; the analysis measures from there.
  function withNeutral(task) {
    if (!calibrate || !calibrate.checked) { return task; }
    var cues = [{ at_s: 0, text: "Hold your head as straight as you can." }];
    task.cues.forEach(function (c) { cues.push({ at_s: c.at_s + neutralSeconds, text: c.text }); });
    return Object.assign({}, task, { seconds: task.seconds + neutralSeconds, cues: cues, neutral_s: neutralSeconds });
  }

  function record(task) {
    return new Promise(function (resolve, reject) {
      var type = pickType();
      var recorder = new MediaRecorder(stream, type ? { mimeType: type, videoBitsPerSecond: 2500000 } : undefined);
      var chunks = [];
      var started = performance.now();
      var cues = task.cues.slice();
      recorder.ondataavailable = function (event) { if (event.data && event.data.size) { chunks.push(event.data); } };
      recorder.onerror = function (event) { reject(event.error || new Error("recording failed")); };
      recorder.onstop = function () { resolve(new Blob(chunks, { type: (recorder.mimeType || type || "video/webm") })); };
      progress.hidden = false;
      progress.value = 0;
      if (task.reading_text) { readingText.textContent = task.reading_text; readingText.hidden = false; }
      recorder.start(1000);
      say("Recording " + task.title.toLowerCase() + "…");
      var timer = setInterval(function () {
        var elapsed = (performance.now() - started) / 1000;
        while (cues.length && cues[0].at_s <= elapsed) { cue.textContent = cues.shift().text; say(cue.textContent); }
        progress.value = Math.min(elapsed / task.seconds, 1);
        if (elapsed >= task.seconds) {
          clearInterval(timer);
          recorder.stop();
          cue.textContent = "";
          readingText.hidden = true;
        }
      }, 100);
    });
  }

  function upload(task, blob) {
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      var extension = blob.type.indexOf("mp4") >= 0 ? "mp4" : "webm";
      data.append("kind", kind);
      data.append("task", task.code);
      if (session) { data.append("session", session); }
      if (task.neutral_s) { data.append("neutral_s", String(task.neutral_s)); }
      data.append("video", blob, task.code + "." + extension);
      var request = new XMLHttpRequest();
      request.open("POST", uploadUrl);
      request.setRequestHeader("X-CSRFToken", csrfToken());
      request.upload.onprogress = function (event) {
        if (event.lengthComputable) { say("Sending the video… " + Math.round(100 * event.loaded / event.total) + "%"); }
      };
      request.onload = function () {
        var body = null;
        try { body = JSON.parse(request.responseText); } catch (e) { body = null; }
        if (request.status === 201 && body) { resolve(body); }
        else { reject(new Error((body && body.detail) ? String(body.detail) : "The server answered " + request.status)); }
      };
      request.onerror = function () { reject(new Error("The video could not be sent. Check the connection and try again.")); };
      request.send(data);
    });
  }

  recordButton.addEventListener("click", function () {
    var task = withNeutral(tasks[current]);
    recordButton.disabled = true;
    runCountdown()
      .then(function () { return record(task); })
      .then(function (blob) { progress.hidden = true; return upload(task, blob); })
      .then(function (body) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = body.page_url;
        link.textContent = task.title + ": sent, being analysed";
        item.appendChild(link);
        uploaded.appendChild(item);
        current += 1;
        recordButton.disabled = false;
        if (current < tasks.length) {
          recordButton.textContent = nextLabel();
          say(task.title + " is done and being analysed. Start the next task when you are ready.");
          recordButton.focus();
        } else {
          recordButton.hidden = true;
          resultsLink.hidden = false;
          if (tasks.length === 1) { resultsLink.href = body.page_url; }
          stream.getTracks().forEach(function (track) { track.stop(); });
          say("All tasks are done. The analysis runs on this computer; results appear in a minute or two.");
          resultsLink.focus();
        }
      })
      .catch(function (error) {
        recordButton.disabled = false;
        progress.hidden = true;
        say("That did not work: " + error.message + " You can try the task again.");
      });
  });
})();

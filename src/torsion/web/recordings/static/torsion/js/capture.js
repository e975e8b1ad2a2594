// Guided recording: camera preview with a framing guide and a live check of frame rate, light and
// framing (each problem with its fix; recording is offered when the check passes, or when the person
// chooses to record anyway), a countdown, each task recorded with MediaRecorder while the seconds left
// are shown, with stop and cancel, and uploaded to the API, one video per task. The upload form on
// the page is the fallback when there is no camera or no JavaScript.
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
  var checkUrl = section.dataset.checkUrl;
  var preview = document.getElementById("preview");
  var cameraButton = document.getElementById("camera-button");
  var recordButton = document.getElementById("record-button");
  var stopButton = document.getElementById("stop-button");
  var cancelButton = document.getElementById("cancel-button");
  var anywayButton = document.getElementById("anyway-button");
  var resultsLink = document.getElementById("results-link");
  var statusLine = document.getElementById("capture-status");
  var countdown = document.getElementById("countdown");
  var timeLeft = document.getElementById("time-left");
  var recordingNow = document.getElementById("recording-now");
  var cue = document.getElementById("cue");
  var readingText = document.getElementById("reading-text");
  var progress = document.getElementById("task-progress");
  var uploaded = document.getElementById("uploaded");
  var checkPanel = document.getElementById("camera-check");
  var checkSummary = document.getElementById("check-summary");
  var uploadForm = document.getElementById("upload-form");
  var neutralSeconds = Number(section.dataset.neutralSeconds || 0);
  var calibrate = document.getElementById("calibrate");
  var session = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : null;
  var stream = null;
  var current = 0;
  var busy = false;         // a countdown, a recording or an upload is running
  var checkPassed = false;  // the latest camera check found no problem
  var goAnyway = false;     // the person chose to record although the check found a problem
  var run = null;           // the running task: { cancelled, stop() }

  function say(text) { statusLine.textContent = text; }

  var media = window.TorsionMedia;
  var videoTypes = ["video/webm;codecs=vp8", "video/webm;codecs=vp9", "video/webm", "video/mp4"];

  function nextLabel() {
    var task = tasks[current];
    return "Start task " + (current + 1) + " of " + tasks.length + ": " + task.title + " (" + task.seconds + " s)";
  }

  // --- controls ------------------------------------------------------------------------------------
  function setBusy(value) {
    busy = value;
    if (calibrate) { calibrate.disabled = value; }
    if (uploadForm) {
      uploadForm.querySelectorAll("input, select, textarea, button").forEach(function (el) { el.disabled = value; });
    }
    anywayButton.disabled = value;
    if (value) { checkPanel.hidden = true; }
    cancelButton.hidden = !value;
    if (!value) { stopButton.hidden = true; }
    updateRecordButton();
  }

  function updateRecordButton() {
    recordButton.disabled = busy || !(checkPassed || goAnyway);
  }

  // --- frame rate, measured from the frames the preview shows ------------------------------------------
  var frameTimes = [];
  function countFrames(now, metadata) {
    frameTimes.push(metadata && metadata.mediaTime !== undefined ? metadata.mediaTime * 1000 : now);
    var cutoff = frameTimes[frameTimes.length - 1] - 2000;
    while (frameTimes.length > 2 && frameTimes[0] < cutoff) { frameTimes.shift(); }
    preview.requestVideoFrameCallback(countFrames);
  }

  function measuredFps() {
    if (frameTimes.length >= 3) {
      var span = (frameTimes[frameTimes.length - 1] - frameTimes[0]) / 1000;
      if (span >= 1) { return (frameTimes.length - 1) / span; }
      return null;
    }
    var settings = stream && stream.getVideoTracks()[0] ? stream.getVideoTracks()[0].getSettings() : {};
    return preview.requestVideoFrameCallback ? null : (settings.frameRate || null);
  }

  // --- the camera check ------------------------------------------------------------------------------
  var checkTimer = null;
  var canvas = document.createElement("canvas");

  function showCheck(result) {
    checkPanel.querySelectorAll("[data-topic]").forEach(function (item) {
      var topic = item.dataset.topic;
      var problems = result.problems.filter(function (p) { return p.topic === topic; });
      var text = item.querySelector(".check-text");
      text.textContent = "";
      item.classList.toggle("problem", problems.length > 0);
      item.classList.toggle("ok", problems.length === 0);
      if (problems.length) {
        problems.forEach(function (p) {
          text.appendChild(document.createTextNode(p.message + " "));
          var fix = document.createElement("span");
          fix.className = "fix";
          fix.textContent = p.fix;
          text.appendChild(fix);
        });
      } else if (topic === "frame rate") {
        text.textContent = result.fps ? "good (" + Math.round(result.fps) + " frames a second)." : "good.";
      } else {
        text.textContent = "good.";
      }
    });
    checkPassed = result.passed;
    checkPanel.classList.toggle("passed", result.passed);
    checkPanel.classList.toggle("failed", !result.passed);
    anywayButton.hidden = result.passed || goAnyway;
    var summary = result.passed ? "The camera is ready. Start when you are."
      : goAnyway ? "You chose to record anyway; the results may be less precise, or the recording may not be measurable."
      : "Please fix what is marked ✗; recording is offered when the check passes. The check repeats every moment.";
    if (checkSummary.textContent !== summary) {
      checkSummary.textContent = summary;
      var first = result.problems[0];
      if (!busy) { say(result.passed ? summary : "Camera check: " + first.message + " " + first.fix); }
    }
    updateRecordButton();
  }

  function checkOnce() {
    if (busy || !stream || !preview.videoWidth) { return Promise.resolve(); }
    var fps = measuredFps();
    if (fps === null && preview.requestVideoFrameCallback) { return Promise.resolve(); }  // not enough frames yet
    canvas.width = preview.videoWidth;
    canvas.height = preview.videoHeight;
    canvas.getContext("2d").drawImage(preview, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); }).then(function (blob) {
      var data = new FormData();
      data.append("frame", blob, "frame.jpg");
      if (fps !== null) { data.append("fps", fps.toFixed(2)); }
      return fetch(checkUrl, { method: "POST", body: data, credentials: "same-origin",
                               headers: { "X-CSRFToken": media.csrfToken(), "Accept": "application/json" } });
    }).then(function (response) {
      if (!response.ok) { throw new Error("The server answered " + response.status + "."); }
      return response.json();
    }).then(function (result) {
      if (!busy) { showCheck(result); }
    }).catch(function (error) {
      if (busy) { return; }
      checkSummary.textContent = "The camera check could not run (" + error.message + ") You can record anyway.";
      anywayButton.hidden = goAnyway;
    });
  }

  function startChecks() {
    stopChecks();
    checkPanel.hidden = false;
    (function loop() {
      checkOnce().then(function () { checkTimer = setTimeout(loop, 1200); });
    })();
  }

  function stopChecks() {
    clearTimeout(checkTimer);
    checkTimer = null;
  }

  anywayButton.addEventListener("click", function () {
    goAnyway = true;
    anywayButton.hidden = true;
    checkSummary.textContent = "You chose to record anyway; the results may be less precise, or the recording may not be measurable.";
    updateRecordButton();
    recordButton.focus();
  });

  cameraButton.addEventListener("click", function () {
    say("Asking for the camera…");
    navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 }, facingMode: "user" },
      audio: false
    }).then(function (s) {
      stream = s;
      preview.srcObject = s;
      if (preview.requestVideoFrameCallback) { preview.requestVideoFrameCallback(countFrames); }
      cameraButton.hidden = true;
      recordButton.hidden = false;
      recordButton.textContent = nextLabel();
      updateRecordButton();
      say("The camera is on. Put your face inside the oval; the camera check below the picture says when all is ready.");
      startChecks();
    }).catch(function (error) {
      say("The camera could not be used (" + error.name + "). You can send a video file with the form below.");
    });
  });

  // --- one task --------------------------------------------------------------------------------------
  function Cancelled() { this.message = "cancelled"; }

  function runCountdown(state) {
    var chain = Promise.resolve();
    [3, 2, 1].forEach(function (n) {
      chain = chain.then(function () {
        if (state.cancelled) { throw new Cancelled(); }
        countdown.textContent = String(n);
        say("Starting in " + n);
        return media.wait(1000);
      });
    });
    return chain.then(function () {
      countdown.textContent = "";
      if (state.cancelled) { throw new Cancelled(); }
    }, function (error) { countdown.textContent = ""; throw error; });
  }

  // With calibration, a head task starts with a few seconds held straight; the analysis measures from there.
  function withNeutral(task) {
    if (!calibrate || !calibrate.checked) { return task; }
    var cues = [{ at_s: 0, text: "Hold your head as straight as you can." }];
    task.cues.forEach(function (c) { cues.push({ at_s: c.at_s + neutralSeconds, text: c.text }); });
    return Object.assign({}, task, { seconds: task.seconds + neutralSeconds, cues: cues, neutral_s: neutralSeconds });
  }

  function showTimeLeft(task, elapsed) {
    var left = Math.max(0, Math.ceil(task.seconds - elapsed));
    timeLeft.textContent = left + " s";
    recordingNow.textContent = "Recording task " + (current + 1) + " of " + tasks.length + ": " + task.title +
      ". " + left + " second" + (left === 1 ? "" : "s") + " left.";
  }

  function record(task, state) {
    return new Promise(function (resolve, reject) {
      var type = media.pickType(videoTypes);
      var recorder = new MediaRecorder(stream, type ? { mimeType: type, videoBitsPerSecond: 2500000 } : undefined);
      var chunks = [];
      var started = performance.now();
      var cues = task.cues.slice();
      var timer = null;
      function finish() {
        clearInterval(timer);
        if (recorder.state !== "inactive") { recorder.stop(); }
        cue.textContent = "";
        readingText.hidden = true;
      }
      state.stop = function () { state.stoppedAt = (performance.now() - started) / 1000; finish(); };
      state.cancel = function () { state.cancelled = true; finish(); };
      recorder.ondataavailable = function (event) { if (event.data && event.data.size) { chunks.push(event.data); } };
      recorder.onerror = function (event) { reject(event.error || new Error("recording failed")); };
      recorder.onstop = function () {
        timeLeft.textContent = "";
        recordingNow.hidden = true;
        if (state.cancelled) { reject(new Cancelled()); return; }
        resolve(new Blob(chunks, { type: (recorder.mimeType || type || "video/webm") }));
      };
      progress.hidden = false;
      progress.value = 0;
      if (task.reading_text) { readingText.textContent = task.reading_text; readingText.hidden = false; }
      recorder.start(1000);
      stopButton.hidden = false;
      recordingNow.hidden = false;
      showTimeLeft(task, 0);
      say("Recording " + task.title.toLowerCase() + " for " + task.seconds + " seconds.");
      timer = setInterval(function () {
        var elapsed = (performance.now() - started) / 1000;
        while (cues.length && cues[0].at_s <= elapsed) { cue.textContent = cues.shift().text; say(cue.textContent); }
        progress.value = Math.min(elapsed / task.seconds, 1);
        showTimeLeft(task, elapsed);
        if (elapsed >= task.seconds) { finish(); }
      }, 100);
    });
  }

  function upload(task, blob) {
    var data = new FormData();
    var extension = blob.type.indexOf("mp4") >= 0 ? "mp4" : "webm";
    data.append("kind", kind);
    data.append("task", task.code);
    if (session) { data.append("session", session); }
    if (task.neutral_s) { data.append("neutral_s", String(task.neutral_s)); }
    data.append("video", blob, task.code + "." + extension);
    return media.send(uploadUrl, data, function (percent) { say("Sending the video… " + percent + "%"); },
                      "The video could not be sent. Check the connection and try again.");
  }

  stopButton.addEventListener("click", function () { if (run && run.stop) { run.stop(); } });
  cancelButton.addEventListener("click", function () {
    if (!run) { return; }
    run.cancelled = true;
    if (run.cancel) { run.cancel(); }
  });

  recordButton.addEventListener("click", function () {
    var task = withNeutral(tasks[current]);
    var state = { cancelled: false, stop: null, cancel: null, stoppedAt: null };
    run = state;
    stopChecks();
    setBusy(true);
    cancelButton.focus();
    runCountdown(state)
      .then(function () { return record(task, state); })
      .then(function (blob) {
        progress.hidden = true;
        stopButton.hidden = true;
        cancelButton.hidden = true;
        if (state.stoppedAt !== null) { say("Stopped after " + Math.round(state.stoppedAt) + " seconds; sending what was recorded."); }
        return upload(task, blob);
      })
      .then(function (body) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = body.page_url;
        link.textContent = task.title + ": sent, being analysed";
        item.appendChild(link);
        uploaded.appendChild(item);
        current += 1;
        run = null;
        setBusy(false);
        if (current < tasks.length) {
          recordButton.textContent = nextLabel();
          say(task.title + " is done and being analysed. Start the next task when you are ready.");
          recordButton.focus();
          startChecks();
        } else {
          recordButton.hidden = true;
          checkPanel.hidden = true;
          resultsLink.hidden = false;
          if (tasks.length === 1) { resultsLink.href = body.page_url; }
          stream.getTracks().forEach(function (track) { track.stop(); });
          say("All tasks are done. The analysis runs on this computer; results appear in a minute or two.");
          resultsLink.focus();
        }
      })
      .catch(function (error) {
        run = null;
        progress.hidden = true;
        timeLeft.textContent = "";
        recordingNow.hidden = true;
        setBusy(false);
        if (error instanceof Cancelled) {
          say("Cancelled: nothing was recorded or sent. Start again when you are ready.");
        } else {
          say("That did not work: " + error.message + " You can try the task again.");
        }
        recordButton.focus();
        startChecks();
      });
  });
})();

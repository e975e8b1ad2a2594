// Guided voice recording: the microphone with a live level meter, each task's text, a countdown,
// recording with MediaRecorder (stop early at any time), listening back, recording again or sending
// the sound to the API, one recording per task. The upload form on the page is the fallback when
// there is no microphone or no JavaScript.
(function () {
  "use strict";
  var section = document.getElementById("voice-capture");
  var tasksElement = document.getElementById("capture-tasks");
  if (!section || !tasksElement) { return; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) { return; }
  section.hidden = false;

  var tasks = JSON.parse(tasksElement.textContent);
  var uploadUrl = section.dataset.uploadUrl;
  var byId = function (id) { return document.getElementById(id); };
  var micButton = byId("mic-button");
  var recordButton = byId("record-button");
  var skipButton = byId("skip-button");
  var stopButton = byId("stop-button");
  var sendButton = byId("send-button");
  var againButton = byId("again-button");
  var resultsLink = byId("results-link");
  var statusLine = byId("capture-status");
  var meter = byId("level-meter");
  var levelText = byId("level-text");
  var panel = byId("task-panel");
  var taskTitle = byId("task-title");
  var taskInstructions = byId("task-instructions");
  var readingText = byId("reading-text");
  var countdown = byId("countdown");
  var progress = byId("task-progress");
  var timeLeft = byId("time-left");
  var review = byId("review");
  var uploaded = byId("uploaded");
  var session = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : null;
  var stream = null;
  var recorder = null;
  var current = 0;
  var take = null;   // the last recording of the current task, waiting to be sent or recorded again
  var loudest = 0;   // loudest level during the current recording, 0..1

  function say(text) { statusLine.textContent = text; }
  function show(element, visible) { element.hidden = !visible; }

  var media = window.TorsionMedia;
  var soundTypes = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];

  // Level meter: RMS of the microphone signal, -60 to 0 dB relative to full scale mapped onto 0..1.
  function startMeter(s) {
    var AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) { return; }
    var context = new AudioContextClass();
    var analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(s).connect(analyser);
    var data = new Float32Array(analyser.fftSize);
    var lastWords = "";
    function tick() {
      analyser.getFloatTimeDomainData(data);
      var sum = 0;
      for (var i = 0; i < data.length; i++) { sum += data[i] * data[i]; }
      var db = 10 * Math.log10(sum / data.length + 1e-12);
      var level = Math.max(0, Math.min(1, (db + 60) / 60));
      meter.value = level;
      if (recorder && recorder.state === "recording") { loudest = Math.max(loudest, level); }
      var words = level < 0.2 ? "very quiet" : level > 0.93 ? "too loud" : "good";
      if (words !== lastWords) { levelText.textContent = words; lastWords = words; }
      window.requestAnimationFrame(tick);
    }
    tick();
  }

  function showTask() {
    var task = tasks[current];
    show(panel, true);
    taskTitle.textContent = "Task " + (current + 1) + " of " + tasks.length + ": " + task.title;
    taskInstructions.textContent = task.instructions;
    readingText.textContent = task.reading_text || "";
    show(readingText, Boolean(task.reading_text));
    recordButton.textContent = "Start " + task.title.toLowerCase() + " (up to " + task.seconds + " s)";
    show(recordButton, true);
    show(skipButton, true);
  }

  // After the last task (sent or skipped): the microphone is released and the results are one click away.
  function nextTask(message) {
    current += 1;
    if (current < tasks.length) {
      showTask();
      say(message + " Read the next task, then press Start.");
      recordButton.focus();
      return;
    }
    show(panel, false);
    show(recordButton, false);
    show(skipButton, false);
    show(resultsLink, true);
    stream.getTracks().forEach(function (track) { track.stop(); });
    say(message + " All tasks are done. The analysis runs on this computer; results appear in a moment.");
    resultsLink.focus();
  }

  skipButton.addEventListener("click", function () {
    nextTask(tasks[current].title + " was skipped.");
  });

  micButton.addEventListener("click", function () {
    say("Asking for the microphone…");
    navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
      video: false
    }).then(function (s) {
      stream = s;
      startMeter(s);
      show(micButton, false);
      showTask();
      recordButton.focus();
      say("The microphone is on. Read the task, then press Start when you are ready.");
    }).catch(function (error) {
      say("The microphone could not be used (" + error.name + "). You can send a sound file with the form below.");
    });
  });

  function runCountdown() {
    var chain = Promise.resolve();
    [3, 2, 1].forEach(function (n) {
      chain = chain.then(function () { countdown.textContent = String(n); say("Starting in " + n); return media.wait(1000); });
    });
    return chain.then(function () { countdown.textContent = ""; });
  }

  function record(task) {
    return new Promise(function (resolve, reject) {
      var type = media.pickType(soundTypes);
      recorder = new MediaRecorder(stream, type ? { mimeType: type, audioBitsPerSecond: 128000 } : undefined);
      var chunks = [];
      var started = performance.now();
      var timer = null;
      loudest = 0;
      recorder.ondataavailable = function (event) { if (event.data && event.data.size) { chunks.push(event.data); } };
      recorder.onerror = function (event) { clearInterval(timer); reject(event.error || new Error("recording failed")); };
      recorder.onstop = function () {
        clearInterval(timer);
        var seconds = (performance.now() - started) / 1000;
        resolve({ blob: new Blob(chunks, { type: (recorder.mimeType || type || "audio/webm") }), seconds: seconds });
      };
      progress.value = 0;
      show(progress, true);
      show(stopButton, true);
      stopButton.focus();
      recorder.start(500);
      say("Recording " + task.title.toLowerCase() + "… Press Stop when you have finished.");
      timer = setInterval(function () {
        var elapsed = (performance.now() - started) / 1000;
        progress.value = Math.min(elapsed / task.seconds, 1);
        timeLeft.textContent = Math.max(0, Math.ceil(task.seconds - elapsed)) + " s left";
        if (elapsed >= task.seconds && recorder.state === "recording") { recorder.stop(); }
      }, 100);
    });
  }

  stopButton.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") { recorder.stop(); }
  });

  recordButton.addEventListener("click", function () {
    var task = tasks[current];
    show(recordButton, false);
    show(skipButton, false);
    show(sendButton, false);
    show(againButton, false);
    show(review, false);
    runCountdown()
      .then(function () { return record(task); })
      .then(function (result) {
        take = result;
        show(stopButton, false);
        show(progress, false);
        timeLeft.textContent = "";
        review.src = URL.createObjectURL(result.blob);
        show(review, true);
        show(sendButton, true);
        show(againButton, true);
        var note = "";
        if (loudest < 0.2) { note = " It was very quiet: move closer to the microphone if you record again."; }
        if (loudest > 0.97) { note = " It was very loud: move back a little if you record again."; }
        if (task.code === "vowel" && result.seconds < 4) { note += " Hold the vowel for at least 5 seconds if you can."; }
        say("Recorded " + result.seconds.toFixed(0) + " s. Listen back if you like, then send it or record again." + note);
        sendButton.focus();
      })
      .catch(function (error) {
        show(stopButton, false);
        show(progress, false);
        show(recordButton, true);
        show(skipButton, true);
        say("That did not work: " + error.message + " You can try again.");
      });
  });

  againButton.addEventListener("click", function () {
    take = null;
    show(review, false);
    show(sendButton, false);
    show(againButton, false);
    show(recordButton, true);
    show(skipButton, true);
    recordButton.focus();
    say("Ready to record " + tasks[current].title.toLowerCase() + " again.");
  });

  function upload(task, blob) {
    var data = new FormData();
    var extension = blob.type.indexOf("mp4") >= 0 ? "m4a" : blob.type.indexOf("ogg") >= 0 ? "ogg" : "webm";
    data.append("kind", "voice");
    data.append("task", task.code);
    if (session) { data.append("session", session); }
    data.append("video", blob, task.code + "." + extension);
    return media.send(uploadUrl, data, function (percent) { say("Sending the recording… " + percent + "%"); },
                      "The recording could not be sent. Check the connection and try again.");
  }

  sendButton.addEventListener("click", function () {
    var task = tasks[current];
    if (!take) { return; }
    sendButton.disabled = true;
    againButton.disabled = true;
    upload(task, take.blob).then(function (body) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = body.page_url;
      link.textContent = task.title + ": sent, being analysed";
      item.appendChild(link);
      uploaded.appendChild(item);
      take = null;
      sendButton.disabled = false;
      againButton.disabled = false;
      show(sendButton, false);
      show(againButton, false);
      show(review, false);
      nextTask(task.title + " was sent and is being analysed.");
    }).catch(function (error) {
      sendButton.disabled = false;
      againButton.disabled = false;
      say("That did not work: " + error.message + " You can send it again or record again.");
    });
  });
})();

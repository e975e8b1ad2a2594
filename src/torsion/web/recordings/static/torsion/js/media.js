// What the capture pages share: the CSRF token, the recorder's file type, a pause, and sending a
// recording to the API with the upload's progress. Loaded before capture.js, voice.js and drawing.js.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The first of ``types`` this browser's MediaRecorder can write ("" lets the browser choose).
  function pickType(types) {
    for (var i = 0; i < types.length; i++) {
      if (MediaRecorder.isTypeSupported(types[i])) { return types[i]; }
    }
    return "";
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // POST ``data`` (a FormData) to ``url``; ``progress(percent)`` is called while it goes up. Resolves
  // with the API's answer when it says 201 Created; rejects with the API's own sentence otherwise, or
  // with ``offline`` when the request could not be made at all.
  function send(url, data, progress, offline) {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", csrfToken());
      request.upload.onprogress = function (event) {
        if (event.lengthComputable) { progress(Math.round(100 * event.loaded / event.total)); }
      };
      request.onload = function () {
        var body = null;
        try { body = JSON.parse(request.responseText); } catch (e) { body = null; }
        if (request.status === 201 && body) { resolve(body); }
        else { reject(new Error((body && body.detail) ? String(body.detail) : "The server answered " + request.status + ".")); }
      };
      request.onerror = function () { reject(new Error(offline)); };
      request.send(data);
    });
  }

  window.TorsionMedia = { csrfToken: csrfToken, pickType: pickType, wait: wait, send: send };
})();

// Replays a drawing at the speed it was drawn, stroke by stroke, over the picture drawn by the server.
(function () {
  "use strict";
  var holder = document.getElementById("drawing-replay");
  var data = document.getElementById("drawing-samples");
  var controls = document.getElementById("replay-controls");
  if (!holder || !data || !controls || !window.requestAnimationFrame) { return; }
  var svg = holder.querySelector("svg");
  var samples = JSON.parse(data.textContent);
  if (!svg || !samples.t_s || samples.t_s.length < 2) { return; }
  var button = document.getElementById("replay-button");
  var status = document.getElementById("replay-status");
  var original = svg.innerHTML;
  var namespace = "http://www.w3.org/2000/svg";
  controls.hidden = false;

  button.addEventListener("click", function () {
    button.disabled = true;
    svg.querySelectorAll(".ink").forEach(function (element) { element.remove(); });
    var t = samples.t_s, x = samples.x, y = samples.y, down = samples.pen_down || [];
    var start = null, index = 0, line = null;
    status.textContent = "Replaying…";
    function frame(now) {
      if (start === null) { start = now; }
      var elapsed = (now - start) / 1000;
      while (index < t.length && t[index] - t[0] <= elapsed) {
        var isDown = down.length ? down[index] === 1 : true;
        if (isDown) {
          if (!line) {
            line = document.createElementNS(namespace, "polyline");
            line.setAttribute("class", "ink");
            line.setAttribute("points", "");
            svg.appendChild(line);
          }
          line.setAttribute("points", line.getAttribute("points") + " " + x[index].toFixed(1) + "," + y[index].toFixed(1));
        } else {
          line = null;
        }
        index += 1;
      }
      if (index < t.length) {
        window.requestAnimationFrame(frame);
      } else {
        svg.innerHTML = original;
        button.disabled = false;
        status.textContent = "Replay finished (" + (t[t.length - 1] - t[0]).toFixed(1) + " s).";
      }
    }
    window.requestAnimationFrame(frame);
  });
})();

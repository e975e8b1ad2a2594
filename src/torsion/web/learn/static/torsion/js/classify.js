// Classification assistant: tap the body map to tick regions, and walk through the steps one at a time.
// Without JavaScript every step is shown at once and the ticks work as plain buttons.
(function () {
  "use strict";
  var form = document.querySelector("form.wizard");
  if (!form) { return; }

  form.querySelectorAll(".body-map [data-region]").forEach(function (shape) {
    shape.addEventListener("click", function () {
      var box = form.querySelector('input[name="regions"][value="' + shape.dataset.region + '"]');
      if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
    });
  });

  // Step through the fieldsets only on a fresh form; after a submit, show everything with its messages.
  if (form.querySelector(".has-error") || document.getElementById("result")) {
    var result = document.getElementById("result");
    if (result && !form.querySelector(".has-error")) { result.focus(); }
    return;
  }
  var steps = Array.prototype.slice.call(form.querySelectorAll(".step"));
  var submit = form.querySelector(".wizard-actions");
  var index = 0;
  form.classList.add("stepping");

  var nav = document.createElement("div");
  nav.className = "actions";
  var back = document.createElement("button");
  back.type = "button";
  back.className = "button secondary";
  back.textContent = "Back";
  var next = document.createElement("button");
  next.type = "button";
  next.className = "button";
  next.textContent = "Next";
  nav.appendChild(back);
  nav.appendChild(next);
  form.insertBefore(nav, submit);

  function show(i, focus) {
    index = i;
    steps.forEach(function (step, n) { step.classList.toggle("current", n === i); });
    back.hidden = i === 0;
    next.hidden = i === steps.length - 1;
    submit.hidden = i !== steps.length - 1;
    var legend = steps[i].querySelector("legend");
    if (legend && focus) { legend.setAttribute("tabindex", "-1"); legend.focus(); }
  }
  back.addEventListener("click", function () { show(Math.max(index - 1, 0), true); });
  next.addEventListener("click", function () { show(Math.min(index + 1, steps.length - 1), true); });
  show(0, false);
})();

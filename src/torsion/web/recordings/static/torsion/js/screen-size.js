// Screen size: a card-shaped outline whose long side follows the slider, upright on narrow screens,
// to be matched against a real ID-1 card (85.60 x 53.98 mm) held against the screen.
(function () {
  "use strict";
  var form = document.getElementById("screen-size-form");
  var stage = document.getElementById("card-stage");
  var outline = document.getElementById("card-outline");
  var controls = document.getElementById("size-controls");
  var slider = document.getElementById("card-slider");
  var field = document.getElementById("id_card_width_px");
  var label = form ? form.querySelector("input[name=device_label]") : null;
  if (!form || !stage || !outline || !slider || !field) { return; }
  var ratio = 53.98 / 85.60;
  stage.hidden = false;
  controls.hidden = false;

  function show(value) {
    value = Math.min(Math.max(Number(value) || 324, Number(slider.min)), Number(slider.max));
    var upright = stage.clientWidth < value + 8;
    outline.style.width = (upright ? value * ratio : value) + "px";
    outline.style.height = (upright ? value : value * ratio) + "px";
    slider.value = String(value);
    field.value = String(value);
  }
  slider.addEventListener("input", function () { show(slider.value); });
  field.addEventListener("change", function () { show(field.value); });
  document.getElementById("smaller").addEventListener("click", function () { show(Number(slider.value) - 0.5); });
  document.getElementById("larger").addEventListener("click", function () { show(Number(slider.value) + 0.5); });
  window.addEventListener("resize", function () { show(slider.value); });
  if (label) {
    label.value = (screen.width + "×" + screen.height + " screen at " + (window.devicePixelRatio || 1) + "× pixels, " +
                   (navigator.platform || "")).slice(0, 120);
  }
  show(field.value);
})();

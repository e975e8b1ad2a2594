// "Add another muscle" on the injection form: copies the empty line from its <template> and raises the
// formset's form count. Without JavaScript the form already shows a few empty lines.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-line]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-line");
    var template = document.getElementById(prefix + "-template");
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var maximum = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!template || !container || !total) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (maximum && index >= parseInt(maximum.value, 10)) { return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index))
                                   .replace(/__number__/g, String(index + 1));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = container.lastElementChild;
      var first = added && added.querySelector("select, input:not([type=hidden])");
      if (first) { first.focus(); }
    });
  });
})();

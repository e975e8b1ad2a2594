// The running score of a rating-scale form. Each change asks the server's scale engine for the score
// of the answers so far (nothing is stored), so the page never computes a score of its own; saving
// scores the answers again. Without JavaScript the score shows when the draft is kept.
(function () {
  "use strict";
  var form = document.querySelector("[data-scale-form]");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-score-url");
  var pending = null;
  var timer = null;

  function setAll(selector, text) {
    document.querySelectorAll(selector).forEach(function (node) { node.textContent = text; });
  }

  function show(summary) {
    setAll("[data-score-total]", summary.total_text);
    setAll("[data-score-answered]", String(summary.answered));
    summary.sections.forEach(function (section) {
      setAll('[data-section-score="' + section.id + '"]', section.text);
    });
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name.indexOf("item_") === 0) { params.append(name, value); }
    });
    return params.toString();
  }

  function refresh() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url + "?" + query(), { headers: { Accept: "application/json" }, credentials: "same-origin",
                                 signal: pending.signal })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (summary) { if (summary) { show(summary); } })
      .catch(function () { /* offline or aborted: the score is computed again when the form is sent */ });
  }

  // Items that started from a video estimate say whether the rating still is the estimate.
  function markEstimate(fieldset) {
    var state = fieldset.querySelector("[data-estimate-state]");
    var chosen = fieldset.querySelector("input[type=radio]:checked");
    if (!state) { return; }
    if (!chosen) {
      state.textContent = "Not rated yet.";
    } else if (chosen.value === fieldset.getAttribute("data-estimate")) {
      state.textContent = "Still the estimate: confirm it or choose another value.";
    } else {
      state.textContent = "Changed: your rating differs from the estimate.";
    }
    fieldset.classList.toggle("changed", Boolean(chosen) && chosen.value !== fieldset.getAttribute("data-estimate"));
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.name || target.name.indexOf("item_") !== 0) { return; }
    var fieldset = target.closest("[data-estimate]");
    if (fieldset) { markEstimate(fieldset); }
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  });
  document.querySelectorAll("[data-estimate]").forEach(markEstimate);
})();

/*
 * The browse page's filters (form[data-auto-submit]), as progressive enhancement: without
 * JavaScript one ticks boxes and presses « Appliquer les filtres ».
 * With it, ticking a box or choosing a sort submits the form at once. The page says so before
 * the first filter (the hint [data-auto-submit-hint] is shown), and after the reload the focus
 * goes back to the box or select that was changed, so keyboard users keep their place.
 */
(function () {
  "use strict";

  var KEY = "store:facets:focus";

  function init() {
    var form = document.querySelector("form[data-auto-submit]");
    if (!form) return;

    var hint = form.querySelector("[data-auto-submit-hint]");
    if (hint) hint.hidden = false;

    try {
      var id = window.sessionStorage.getItem(KEY);
      if (id) {
        window.sessionStorage.removeItem(KEY);
        var target = document.getElementById(id);
        if (target) target.focus();
      }
    } catch (error) {
      /* storage refused: the focus starts at the top, as on any page */
    }

    form.addEventListener("change", function (event) {
      var field = event.target;
      var isFilter = field.type === "checkbox" || field.name === "sort";
      if (!isFilter) return;
      try {
        if (field.id) window.sessionStorage.setItem(KEY, field.id);
      } catch (error) {
        /* ignore */
      }
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// The batch page (templates/ministry/batch.html): only the chosen step's own fields are shown; the others
// are hidden and disabled, so they are neither read nor sent. Without JavaScript every field shows.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.querySelector("form[data-step-fields]");
  if (!form) return;
  var select = form.querySelector("select[name=step]");
  if (!select) return;
  function show() {
    form.querySelectorAll("[data-for-steps]").forEach(function (box) {
      var wanted = box.getAttribute("data-for-steps").split(" ").indexOf(select.value) !== -1;
      box.hidden = !wanted;
      box.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !wanted; });
    });
  }
  select.addEventListener("change", show);
  show();
});

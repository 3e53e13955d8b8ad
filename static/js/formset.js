// Evidence tables typed like a table (templates/dossiers/_evidence_formsets.html; a static file: the
// Content-Security-Policy allows no inline script). Without JavaScript the page works as a plain form.
//
// 1. "Add a row" appends a blank row from the formset's <template> (Django's empty_form, __prefix__
//    replaced by the next index) and moves the focus to its first field; the live region says so.
// 2. Typing in the last row adds the next blank row by itself, so a table of ten works needs no click.
// 3. When the focus leaves a row that has something typed in it, the row is sent to the server's row
//    check (the same form class the save uses) and its errors are shown under each field, as after a save;
//    a row without errors has them cleared. The check never saves anything.
(function () {
  "use strict";

  function total(fieldset) {
    return fieldset.querySelector('input[name="' + fieldset.getAttribute("data-formset") + '-TOTAL_FORMS"]');
  }

  function addRow(fieldset, focus) {
    var counter = total(fieldset);
    var template = fieldset.querySelector("template[data-formset-empty]");
    if (!counter || !template) return null;
    var index = parseInt(counter.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    fieldset.querySelector("[data-formset-rows]").appendChild(row);
    counter.value = String(index + 1);
    if (focus) {
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      if (window.announce) window.announce(fieldset.getAttribute("data-added") || "");
    }
    return row;
  }

  function typedIn(row) {
    return Array.prototype.some.call(row.querySelectorAll("input, select, textarea"), function (el) {
      if (el.type === "hidden" || el.name.slice(-7) === "-DELETE") return false;
      if (el.type === "checkbox") return el.checked !== el.defaultChecked;
      if (el.tagName === "SELECT") {
        var initial = 0;
        Array.prototype.forEach.call(el.options, function (o, i) { if (o.defaultSelected) initial = i; });
        return el.selectedIndex !== initial;
      }
      return el.value !== "" && el.value !== el.defaultValue;
    });
  }

  function showErrors(row, errors) {
    row.querySelectorAll("[data-row-error]").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    Object.keys(errors).forEach(function (name) {
      var text = errors[name].join(" ");
      var input = name === "__all__" ? null : row.querySelector('[name$="-' + name + '"]');
      var span = document.createElement("span");
      span.className = "field-error";
      span.setAttribute("data-row-error", "");
      span.textContent = text;
      if (input) {
        span.id = input.id + "_rowerror";
        input.closest(".field").classList.add("has-error");
        input.closest(".field").appendChild(span);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", span.id);
      } else {
        var p = document.createElement("p");
        p.appendChild(span);
        row.insertBefore(p, row.firstChild);
      }
    });
    if (Object.keys(errors).length && window.announce) {
      window.announce(Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" "));
    }
  }

  function checkRow(fieldset, row) {
    if (!typedIn(row) || !window.fetch) return;
    var body = new FormData();
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || (el.type === "checkbox" && !el.checked)) return;
      body.append(el.name.replace(/^.*-\d+-/, ""), el.value);
    });
    var token = document.querySelector('input[name="csrfmiddlewaretoken"]');
    fetch(fieldset.getAttribute("data-row-check"), {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer) showErrors(row, answer.errors || {}); })
      .catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset[data-formset]").forEach(function (fieldset) {
      var button = fieldset.querySelector("[data-formset-add]");
      if (button) {
        button.closest(".js-only").hidden = false;
        fieldset.setAttribute("data-added", button.getAttribute("data-added") || "");
        button.addEventListener("click", function () { addRow(fieldset, true); });
      }
      fieldset.addEventListener("input", function (event) {
        var rows = fieldset.querySelectorAll("[data-formset-row]");
        var last = rows[rows.length - 1];
        if (last && last.contains(event.target) && typedIn(last)) addRow(fieldset, false);
      });
      fieldset.addEventListener("focusout", function (event) {
        var row = event.target.closest("[data-formset-row]");
        if (row && !row.contains(event.relatedTarget)) checkRow(fieldset, row);
      });
    });
  });
})();

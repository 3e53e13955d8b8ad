// Evidence tables typed like a table (templates/dossiers/_evidence_formsets.html; a static file: the
// Content-Security-Policy allows no inline script). Without JavaScript the page works as a plain form:
// blank rows are offered, and a row is dropped by ticking its "Delete" box.
//
// 1. "Add a row" appends a blank row from the formset's <template> (Django's empty_form, __prefix__
//    replaced by the next index) and moves the focus to its first field; the live region says so.
// 2. Typing in the last row adds the next blank row by itself, so a table of ten works needs no click.
// 3. Each row has a "Remove row" button, named after the row ("Xóa dòng tác phẩm 3"). It ticks the row's
//    "Delete" box (hidden while the script runs) and moves the row into the fieldset's hidden holder, so
//    the box is still posted and the management form's counts stay true: the save drops the row, saved or
//    not. The focus goes to the next row's first field (else the previous row's, else "Add a row"), the
//    live region says which row went, and the other rows' buttons are renumbered.
// 4. When the focus leaves a row that has something typed in it, the row is sent to the server's row
//    check (the same form class the save uses) and its errors are shown under each field, as after a save;
//    a row without errors has them cleared. The check never saves anything.
// 5. The same errors join the error summary at the top of the page (created when the page has none), each
//    a link to its field, and leave it when the row is corrected or removed. The summary never takes the
//    focus here: only a failed save focuses it (static/js/a11y.js), so typing is not interrupted.
(function () {
  "use strict";

  function total(fieldset) {
    return fieldset.querySelector('input[name="' + fieldset.getAttribute("data-formset") + '-TOTAL_FORMS"]');
  }

  function rows(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("[data-formset-rows] > [data-formset-row]"));
  }

  function firstField(row) {
    return row.querySelector("input:not([type=hidden]):not([hidden]), select, textarea");
  }

  function deleteBox(row) {
    return row.querySelector('input[name$="-DELETE"]');
  }

  // The row's key, "works-2": the part of its fields' names before the field's own name.
  function rowKey(row) {
    var input = row.querySelector("input[name], select[name], textarea[name]");
    var match = input && input.name.match(/^(.*-\d+)-/);
    return match ? match[1] : "";
  }

  function text(fieldset, name, number) {
    return (fieldset.getAttribute(name) || "").replace("{n}", String(number));
  }

  // The remove buttons carry the row's number as seen now (the first row shown is 1).
  function numberRows(fieldset) {
    rows(fieldset).forEach(function (row, i) {
      var button = row.querySelector("[data-formset-remove]");
      if (button) button.setAttribute("aria-label", text(fieldset, "data-remove-label", i + 1));
    });
  }

  function prepareRow(fieldset, row) {
    var box = deleteBox(row);
    if (box && box.closest(".field")) box.closest(".field").hidden = true;
    var button = row.querySelector("[data-formset-remove]");
    if (button) {
      button.closest(".js-only").hidden = false;
      button.addEventListener("click", function () { removeRow(fieldset, row); });
    }
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
    prepareRow(fieldset, row);
    numberRows(fieldset);
    if (focus) {
      var first = firstField(row);
      if (first) first.focus();
      if (window.announce) window.announce(fieldset.getAttribute("data-added") || "");
    }
    return row;
  }

  function removeRow(fieldset, row) {
    var shown = rows(fieldset);
    var position = shown.indexOf(row);
    if (position === -1) return;
    var box = deleteBox(row);
    if (box) box.checked = true;
    showErrors(row, {}); // its errors leave the page and the summary with it
    fieldset.querySelector("[data-formset-removed]").appendChild(row);
    numberRows(fieldset);
    var next = shown[position + 1] || shown[position - 1];
    var goal = (next && firstField(next)) || fieldset.querySelector("[data-formset-add]");
    if (goal) goal.focus();
    if (window.announce) window.announce(text(fieldset, "data-removed", position + 1));
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

  // --- the error summary at the top of the page ---------------------------------------------------

  function summaryOf(fieldset, create) {
    var summary = document.getElementById("error-summary");
    if (summary) {
      // A failed save's summary is an alert, read when the page loaded; from now on the polite live
      // region reads the row errors, so its changes must not be read a second time, assertively.
      if (summary.getAttribute("role") === "alert") summary.setAttribute("role", "region");
      if (!summary.querySelector("ul")) summary.appendChild(document.createElement("ul"));
      return summary;
    }
    if (!create) return null;
    summary = document.createElement("div");
    summary.className = "error error-summary";
    summary.id = "error-summary";
    summary.setAttribute("role", "region");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("aria-labelledby", "error-summary-title");
    var heading = document.createElement("h2");
    heading.id = "error-summary-title";
    heading.textContent = fieldset.getAttribute("data-summary-title") || "";
    summary.appendChild(heading);
    summary.appendChild(document.createElement("ul"));
    var form = fieldset.closest("form");
    form.parentNode.insertBefore(summary, form);
    return summary;
  }

  function labelText(input) {
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (!label) return "";
    var copy = label.cloneNode(true);
    copy.querySelectorAll("[aria-hidden]").forEach(function (el) { el.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function targetOf(item) {
    var link = item.querySelector("a[href^='#']");
    return link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
  }

  // The row's items: those the script added for it, and a failed save's links to its fields.
  function dropSummaryItems(summary, key) {
    summary.querySelectorAll("li").forEach(function (item) {
      var link = item.querySelector("a[href^='#']");
      if (item.getAttribute("data-row") === key ||
          (link && link.getAttribute("href").indexOf("#id_" + key + "-") === 0)) item.remove();
    });
  }

  function addSummaryItem(list, key, input, message) {
    var item = document.createElement("li");
    item.setAttribute("data-row", key);
    var link = document.createElement("a");
    link.href = "#" + input.id;
    link.textContent = message;
    item.appendChild(link);
    // in the order of the page, as a failed save lists them
    var after = Array.prototype.find.call(list.children, function (other) {
      var target = targetOf(other);
      return target && (input.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    list.insertBefore(item, after || null);
  }

  function updateSummary(fieldset, row, errors) {
    var key = rowKey(row);
    var names = Object.keys(errors);
    var summary = summaryOf(fieldset, names.length > 0);
    if (!summary) return;
    dropSummaryItems(summary, key);
    var list = summary.querySelector("ul");
    names.forEach(function (name) {
      var input = name === "__all__" ? firstField(row) : row.querySelector('[name$="-' + name + '"]');
      if (!input || !input.id) return;
      errors[name].forEach(function (error) {
        var label = name === "__all__" ? "" : labelText(input);
        addSummaryItem(list, key, input, label ? label + ": " + error : error);
      });
    });
    if (!list.children.length) summary.remove();
  }

  // --- the errors under the fields -----------------------------------------------------------------

  function describedBy(input, errorId) {
    // keep what still exists (the help text), drop the error elements that are gone
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && document.getElementById(id) && id !== errorId;
    });
    if (errorId) ids.push(errorId);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function showErrors(row, errors) {
    // the errors shown before, the script's and a failed save's, give way to the row check's answer
    row.querySelectorAll("[data-row-error], .field-error").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      describedBy(el, null);
    });
    Object.keys(errors).forEach(function (name) {
      var message = errors[name].join(" ");
      var input = name === "__all__" ? null : row.querySelector('[name$="-' + name + '"]');
      var span = document.createElement("span");
      span.className = "field-error";
      span.setAttribute("data-row-error", "");
      span.textContent = message;
      if (input) {
        span.id = input.id + "_rowerror";
        input.closest(".field").classList.add("has-error");
        input.closest(".field").appendChild(span);
        input.setAttribute("aria-invalid", "true");
        describedBy(input, span.id);
      } else {
        var p = document.createElement("p");
        p.setAttribute("data-row-error", "");
        p.appendChild(span);
        row.insertBefore(p, row.firstChild);
      }
    });
    var fieldset = row.closest("fieldset[data-formset]");
    if (fieldset) updateSummary(fieldset, row, row.parentNode.hasAttribute("data-formset-rows") ? errors : {});
    if (Object.keys(errors).length && window.announce) {
      window.announce(Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" "));
    }
  }

  function checkRow(fieldset, row) {
    if (!window.fetch) return;
    if (!typedIn(row)) {
      // a row emptied again is skipped by the save, so whatever it said before no longer holds
      if (row.querySelector("[data-row-error]")) showErrors(row, {});
      return;
    }
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
      .then(function (answer) {
        // a row removed while the check was on its way has nothing more to say
        if (answer && rows(fieldset).indexOf(row) !== -1) showErrors(row, answer.errors || {});
      })
      .catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset[data-formset]").forEach(function (fieldset) {
      rows(fieldset).forEach(function (row) {
        prepareRow(fieldset, row);
        // a row ticked for deletion before a failed save stays removed
        var box = deleteBox(row);
        if (box && box.checked) fieldset.querySelector("[data-formset-removed]").appendChild(row);
      });
      numberRows(fieldset);
      var button = fieldset.querySelector("[data-formset-add]");
      if (button) {
        button.closest(".js-only").hidden = false;
        fieldset.setAttribute("data-added", button.getAttribute("data-added") || "");
        button.addEventListener("click", function () { addRow(fieldset, true); });
      }
      fieldset.addEventListener("input", function (event) {
        var shown = rows(fieldset);
        var last = shown[shown.length - 1];
        if (last && last.contains(event.target) && typedIn(last)) addRow(fieldset, false);
      });
      fieldset.addEventListener("focusout", function (event) {
        var row = event.target.closest("[data-formset-row]");
        if (row && rows(fieldset).indexOf(row) !== -1 && !row.contains(event.relatedTarget)) {
          checkRow(fieldset, row);
        }
      });
    });
  });
})();

// What a screen-reader or keyboard user needs from the page's scripts (a static file: the
// Content-Security-Policy allows no inline script). docs/accessibility.md states the rules.
//
// 1. A failed form's error summary ([data-error-summary]) takes the focus when the page loads, so that it
//    is the first thing read; its links lead to the fields.
// 2. Every message that a script adds is written into the one polite live region, #announcer
//    (window.announce(text)); the live region is in the page from the start, as screen readers need.
// 3. After an htmx swap the focus stays where it was. When the swap replaced the element that held it,
//    the focus moves to the new content's heading, else to the new content itself.
//    An htmx swap is announced when it changed what the element says, or when the user asked for it
//    (a click or a submit): the new element's data-announce text, else its own text.
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    // Emptied first and refilled a moment later, so that the same message twice is read twice.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }
  window.announce = announce;

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
    // 4. On a narrow screen the menu folds behind its button (aria-expanded says which); Escape folds it
    //    and gives the focus back to the button.
    var toggle = document.querySelector(".menu-toggle");
    var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (toggle && nav) {
      toggle.hidden = false;
      nav.classList.add("collapsible");
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("open", open);
      });
      nav.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && nav.classList.contains("open")) {
          toggle.setAttribute("aria-expanded", "false");
          nav.classList.remove("open");
          toggle.focus();
        }
      });
    }
  });

  var before = {};
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    before = {
      id: target.id,
      text: target.textContent.replace(/\s+/g, " ").trim(),
      hadFocus: target.contains(document.activeElement),
      asked: ["click", "submit"].indexOf(((event.detail.requestConfig || {}).triggeringEvent || {}).type) !== -1,
    };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = (before.id && document.getElementById(before.id)) || event.detail.target;
    if (!swapped || !swapped.isConnected) return;
    var text = swapped.textContent.replace(/\s+/g, " ").trim();
    if (before.hadFocus && (!document.activeElement || document.activeElement === document.body)) {
      var heading = swapped.querySelector("h1, h2, h3, h4");
      var goal = heading || swapped;
      if (!goal.hasAttribute("tabindex")) goal.setAttribute("tabindex", "-1");
      goal.focus();
    }
    if (text !== before.text || before.asked) announce(swapped.getAttribute("data-announce") || text);
    before = {};
  });
})();

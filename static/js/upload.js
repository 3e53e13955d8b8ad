// Upload with a progress bar: a form marked data-upload-progress is sent with XMLHttpRequest so that the
// <progress> inside it shows how much has gone; without JavaScript the form posts as usual. Whatever the
// server answers reaches the user as after a plain post (docs/accessibility.md, "Uploads"):
// 1. Success: told by the X-Upload-Progress header that this is the script, the server answers where to
//    go, {"redirect": url}, instead of redirecting (core.middleware.UploadScriptMiddleware). A redirect
//    would be followed inside this request and the page would show, so use up, its message ("recorded",
//    "attached", a refusal) before the user opened it; the script opens the page and the message is there.
// 2. A page in answer (the form again with its errors, a 403 page): its <main> and its title replace the
//    page's own, as the browser would have shown them; the error summary takes the focus (it is read
//    first), else the main content does. The address stays the form's page.
//    A page without <main> (the server error page, a proxy's "too large") is shown whole.
// 3. Anything else (no answer at all, an answer that is not a page): the form is posted again without
//    the script, and the browser shows what comes back.
(function () {
  "use strict";

  function region() {
    return document.getElementById("announcer");
  }

  function say(key) {
    var live = region();
    if (window.announce && live) window.announce(live.getAttribute(key));
  }

  function goTo(xhr) {
    var next = null;
    try { next = JSON.parse(xhr.responseText).redirect; } catch (e) { next = null; }
    if (!next) return false;
    window.location.assign(next);
    return true;
  }

  function showPage(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var fresh = doc.getElementById("main");
    var main = document.getElementById("main");
    if (!fresh || !main) {
      // not one of this site's pages (the server error page, a proxy's): shown whole, as it came
      document.documentElement.replaceWith(document.importNode(doc.documentElement, true));
      return true;
    }
    var copy = document.importNode(fresh, true);
    main.replaceWith(copy);
    if (doc.title) document.title = doc.title;
    if (window.htmx) window.htmx.process(copy);
    var summary = copy.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    } else {
      if (!copy.hasAttribute("tabindex")) copy.setAttribute("tabindex", "-1");
      copy.focus();
      window.scrollTo(0, 0);
    }
    return true;
  }

  function shown(xhr) {
    var type = (xhr.getResponseHeader("Content-Type") || "").toLowerCase();
    if (type.indexOf("application/json") === 0) return goTo(xhr);
    if (type.indexOf("text/html") === 0) return showPage(xhr);
    return false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-upload-progress]") || !window.FormData || !window.DOMParser) return;
    event.preventDefault();
    var bar = form.querySelector("progress");
    say("data-uploading");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Upload-Progress", "1");
    xhr.upload.addEventListener("progress", function (e) {
      if (bar && e.lengthComputable) { bar.hidden = false; bar.value = Math.round((e.loaded / e.total) * 100); }
    });
    function again() {
      say("data-upload-failed");
      form.submit();
    }
    xhr.addEventListener("load", function () {
      if (!shown(xhr)) again();
    });
    xhr.addEventListener("error", again);
    xhr.send(new FormData(form));
  });
})();

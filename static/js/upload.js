// Upload with a progress bar: a form marked data-upload-progress is sent with XMLHttpRequest so that the
// <progress> inside it shows how much has gone; without JavaScript the form posts as usual. The server
// answers such a request with where to go (JSON) instead of a redirect: a redirect followed inside the
// request would show, and so use up, the "attached" or refusal message before the page is opened.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-upload-progress]") || !window.FormData) return;
  event.preventDefault();
  var bar = form.querySelector("progress");
  var region = document.getElementById("announcer");
  if (window.announce && region) window.announce(region.getAttribute("data-uploading"));
  var xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
  xhr.upload.addEventListener("progress", function (e) {
    if (bar && e.lengthComputable) { bar.hidden = false; bar.value = Math.round((e.loaded / e.total) * 100); }
  });
  xhr.addEventListener("load", function () {
    var next = null;
    try { next = JSON.parse(xhr.responseText).location; } catch (e) { next = null; }
    window.location.assign(next || xhr.responseURL || form.action);
  });
  xhr.addEventListener("error", function () {
    if (window.announce && region) window.announce(region.getAttribute("data-upload-failed"));
    form.submit();
  });
  xhr.send(new FormData(form));
});

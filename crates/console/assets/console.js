// Entrepot console: what plain HTML and htmx leave to a script. No inline script runs (the
// Content-Security-Policy forbids it), so everything lives here.
(function () {
  "use strict";
  // A live fragment (the cut-off board) that can't refresh says so instead of going stale.
  document.addEventListener("htmx:responseError", function (e) {
    var target = e.detail && e.detail.target;
    if (target) { target.setAttribute("data-stale", "true"); }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target) { e.detail.target.removeAttribute("data-stale"); }
  });
})();

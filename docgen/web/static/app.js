// docgen web, plain JavaScript (no library): what every page shares.
"use strict";
(function () {
  window.docgen = window.docgen || {};
  // POST to the server with the page's CSRF token; resolves to the parsed JSON.
  window.docgen.post = function (url, body) {
    var headers = { "X-CSRF-Token": document.body.dataset.csrf };
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (r) { return r.json(); });
  };
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
  });
})();

// docgen web: the import screen (docgen/web/importing.py). A form with data-busy says so
// while the server reads or imports (scans may take minutes) and is not sent twice.
"use strict";
(function () {
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (ev.defaultPrevented) { return; }  // a data-confirm answered "no"
      if (form.dataset.sent) { ev.preventDefault(); return; }
      form.dataset.sent = "1";
      var busy = form.querySelector(".importing-busy");
      if (busy) { busy.textContent = form.dataset.busy; busy.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
})();

// docgen web, the print screens (plain JavaScript): the live count of the form and the
// progress of a job. Without JavaScript the form counts with its "Đếm" button and the
// progress page refreshes itself (<noscript><meta http-equiv="refresh">).
"use strict";
(function () {
  // ---------------------------------------------------------------- the form
  var form = document.getElementById("print-form");
  var shown = document.getElementById("print-count");
  if (form && shown) {
    var timer = null;
    var asked = 0;
    var recount = function () {
      var params = new URLSearchParams(new FormData(form));
      params.delete("csrf_token");
      params.delete("action");
      var mine = ++asked;
      fetch(form.getAttribute("data-count-url") + "?" + params.toString(),
            { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== asked) { return; }  // an answer to an older choice
          shown.hidden = false;
          shown.textContent = data.error ? data.error + (data.hint ? " (" + data.hint + ")" : "") : data.text;
          shown.classList.toggle("empty", !data.error && data.count === 0);
          shown.classList.toggle("error", Boolean(data.error));
        })
        .catch(function () { /* the count stays as it was; the button still counts */ });
    };
    var later = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(recount, 300);
    };
    form.addEventListener("change", later);
    form.addEventListener("input", later);
    // the kind shortcuts: tick their kinds here instead of reloading the page
    document.querySelectorAll("a[data-kinds]").forEach(function (link) {
      link.addEventListener("click", function (ev) {
        ev.preventDefault();
        var wanted = link.getAttribute("data-kinds").split(" ").filter(Boolean);
        form.querySelectorAll("input[name=kind]").forEach(function (box) {
          box.checked = wanted.indexOf(box.value) >= 0;
        });
        recount();
      });
    });
  }

  // ---------------------------------------------------------------- a job's progress
  var job = document.querySelector("[data-job-status]");
  if (job && job.hasAttribute("data-running")) {
    var url = job.getAttribute("data-job-status");
    var field = function (name) { return job.querySelector("[data-field=" + name + "]"); };
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.error) { window.location.reload(); return; }
          if (s.ended) { window.location.reload(); return; }  // the page shows the result
          var state = field("state");
          if (state) { state.textContent = s.state_text; state.className = "print-state " + s.state; }
          var bar = field("progress");
          if (bar) { bar.max = Math.max(s.total, 1); bar.value = s.done; bar.textContent = s.percent + "%"; }
          var count = field("count");
          if (count) { count.textContent = s.count_text; }
          var message = field("message");
          if (message) { message.textContent = s.message; }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1000);
  }
})();

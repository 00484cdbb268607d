// docgen web: the paper form (papers/form.html). Plain JavaScript, no library.
// - rows added and removed in the page (the blank row of each list is a <template>), the
//   posted names renumbered from the rows around each input (data-pattern "tasks[].content");
// - the draft saved on the server ~1 s after typing stops, on leaving a field and when the
//   page is hidden (a closed browser loses nothing); the answer brings the attendance and
//   vote figures, the model's messages by posted name and the roster on the meeting date.
// Without JavaScript the same form works through its buttons (the server does it all).
"use strict";
(function () {
  var form = document.getElementById("papers-form");
  if (!form) { return; }
  var statusBox = document.getElementById("papers-status");
  var general = document.getElementById("papers-general");
  var figures = document.getElementById("papers-figures");
  var saveUrl = form.dataset.saveUrl;
  var DELAY = 1000;
  var timer = null, busy = false, again = false, dirty = false, gone = false;
  var touched = {};
  var roster = null;

  function say(text) { if (statusBox) { statusBox.textContent = text; } }

  // ---------------------------------------------------------------- row numbers
  function rowIndex(row) {
    var n = 0, el = row.parentElement.firstElementChild;
    for (; el; el = el.nextElementSibling) {
      if (el === row) { return n; }
      if (el.hasAttribute("data-row")) { n += 1; }
    }
    return n;
  }
  function fill(pattern, el) {
    var indices = [];
    var row = el.closest("[data-row]");
    while (row) {
      indices.unshift(rowIndex(row));
      row = row.parentElement ? row.parentElement.closest("[data-row]") : null;
    }
    var i = 0;
    return pattern.replace(/\[\]/g, function () {
      var index = i < indices.length ? indices[i] : "";
      i += 1;
      return "[" + index + "]";
    });
  }
  function renumber(root) {
    root.querySelectorAll("[data-pattern]").forEach(function (el) {
      var name = fill(el.getAttribute("data-pattern"), el);
      if (el.matches("input, select, textarea")) { el.name = name; } else { el.setAttribute("data-field", name); }
    });
    root.querySelectorAll("[data-value-pattern]").forEach(function (el) {
      el.value = fill(el.getAttribute("data-value-pattern"), el);
    });
    root.querySelectorAll("[data-row-number]").forEach(function (el) {
      el.textContent = String(rowIndex(el.closest("[data-row]")) + 1);
    });
  }

  form.addEventListener("click", function (ev) {
    var add = ev.target.closest("[data-add]");
    var remove = ev.target.closest("[data-remove]");
    if (add) {
      ev.preventDefault();
      var box = add.closest("fieldset");
      var blank = box.querySelector(":scope > template[data-blank]");
      var list = box.querySelector(":scope > [data-rowlist]");
      var row = document.importNode(blank.content.querySelector("[data-row]"), true);
      list.appendChild(row);
      if (roster) { applyRoster(row); }
      renumber(form);
      var first = row.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    } else if (remove) {
      ev.preventDefault();
      remove.closest("[data-row]").remove();
      renumber(form);
      changed(0);
    }
  });

  // ---------------------------------------------------------------- saving
  function changed(delay) {
    dirty = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }
  function save() {
    timer = null;
    if (gone) { return; }
    if (busy) { again = true; return; }
    busy = true;
    dirty = false;
    say(form.dataset.tSaving);
    var body = new FormData(form);
    fetch(saveUrl, { method: "POST", body: body, credentials: "same-origin",
                     headers: { "X-CSRF-Token": document.body.dataset.csrf } })
      .then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data }; },
                             function () { return { ok: false, data: { status: form.dataset.tFailed + " (" + r.status + ")" } }; });
      })
      .then(function (answer) { shown(answer.ok, answer.data); },
            function () { say(form.dataset.tFailed); dirty = true; })
      .then(function () {
        busy = false;
        if (again) { again = false; save(); }
      });
  }
  function shown(ok, data) {
    say(data.status || "");
    if (data.gone) {
      gone = true;
      if (data.paper_url && statusBox) {
        var link = document.createElement("a");
        link.href = data.paper_url;
        link.textContent = form.dataset.tOpen;
        statusBox.appendChild(document.createTextNode(" "));
        statusBox.appendChild(link);
      }
      return;
    }
    if (data.conflict) { gone = true; return; }  // saved elsewhere: the user reloads (the status says so)
    if (!ok || !data.saved) { dirty = true; return; }
    var rev = form.querySelector("[data-rev]");
    if (rev && data.rev !== undefined) { rev.value = String(data.rev); }
    showMessages(data.messages || []);
    if (figures && typeof data.figures_html === "string") {
      var open = figures.querySelector("[data-figdetails]");
      var wasOpen = open ? open.open : false;
      figures.innerHTML = data.figures_html;  // rendered and escaped by the server's template
      var details = figures.querySelector("[data-figdetails]");
      if (details) { details.open = wasOpen; }
    }
    if (data.roster && data.roster_day !== form.dataset.rosterDay) {
      form.dataset.rosterDay = data.roster_day;
      roster = data;
      applyRoster(form);
      renumber(form);
      var list = document.getElementById("papers-roster");
      if (list) {
        list.textContent = "";
        data.roster.forEach(function (c) { var o = document.createElement("option"); o.value = c.value; o.textContent = c.label; list.appendChild(o); });
      }
    }
  }

  // ---------------------------------------------------------------- messages
  function showMessages(messages) {
    var all = form.dataset.check === "1";
    form.querySelectorAll("[data-msgs]").forEach(function (box) { box.textContent = ""; });
    if (general) { general.textContent = ""; }
    messages.forEach(function (m) {
      var box = null;
      var holder = m.field ? form.querySelector('[data-field="' + cssEscape(m.field) + '"]') : null;
      if (holder) { box = holder.querySelector(":scope > [data-msgs]"); }
      if (!all && !(m.field && touched[m.field])) { return; }
      var p = document.createElement("p");
      p.className = "field-error";
      p.textContent = m.cli;
      (box || general).appendChild(p);
    });
  }
  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : text.replace(/["\\]/g, "\\$&");
  }
  function touch(el) {
    var holder = el.closest("[data-field]");
    for (; holder; holder = holder.parentElement ? holder.parentElement.closest("[data-field]") : null) {
      touched[holder.getAttribute("data-field")] = true;
    }
  }

  // ---------------------------------------------------------------- the roster on the date
  function option(text, value, selected) { return new Option(text, value, false, selected); }
  function applyRoster(root) {
    var choices = roster.roster, off = roster.off_roster;
    root.querySelectorAll("select[data-roster]").forEach(function (sel) {
      var value = sel.value;
      while (sel.options.length > 1) { sel.remove(1); }
      var found = false;
      choices.forEach(function (c) { sel.add(option(c.label, c.value, c.value === value)); found = found || c.value === value; });
      if (value && !found) { sel.add(option(value + " (" + off + ")", value, true)); }
      sel.value = value;
    });
    root.querySelectorAll("[data-choices][data-roster]").forEach(function (box) {
      var pattern = box.closest("[data-field]").getAttribute("data-pattern");
      var checked = Array.prototype.map.call(box.querySelectorAll("input:checked"), function (i) { return i.value; });
      box.textContent = "";
      var known = {};
      function add(value, text, on) {
        var label = document.createElement("label");
        label.className = "papers-check";
        var input = document.createElement("input");
        input.type = "checkbox";
        input.value = value;
        input.checked = on;
        input.setAttribute("data-pattern", pattern);
        label.appendChild(input);
        var span = document.createElement("span");
        span.textContent = text;
        label.appendChild(document.createTextNode(" "));
        label.appendChild(span);
        box.appendChild(label);
      }
      choices.forEach(function (c) { known[c.value] = true; add(c.value, c.label, checked.indexOf(c.value) >= 0); });
      checked.forEach(function (v) { if (!known[v]) { add(v, v + " (" + off + ")", true); } });
    });
  }

  // ---------------------------------------------------------------- events
  form.addEventListener("input", function (ev) { touch(ev.target); changed(DELAY); });
  form.addEventListener("change", function (ev) {
    touch(ev.target);
    changed(ev.target.name === "date" ? 0 : DELAY);
  });
  form.addEventListener("focusout", function (ev) {
    touch(ev.target);
    if (dirty) { changed(150); }
  });
  form.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches("input:not([type=checkbox])")) {
      ev.preventDefault();  // not a submit: Enter would press the first button of the form
      changed(0);
    }
  });
  form.addEventListener("submit", function () {
    if (timer) { clearTimeout(timer); timer = null; }
    dirty = false;  // the form itself is being posted
  });
  function beacon() {
    if (!dirty || gone || !navigator.sendBeacon) { return; }
    dirty = false;
    navigator.sendBeacon(saveUrl, new FormData(form));  // carries the form's csrf_token
  }
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { beacon(); } });
  window.addEventListener("pagehide", beacon);
})();

// docgen web, the roster's member form: a button to add period rows (without JavaScript
// the form keeps one empty row of each kind; a row is removed by ticking its box).
"use strict";
(function () {
  document.querySelectorAll("[data-periods]").forEach(function (box) {
    var blank = box.querySelector("template[data-blank]");
    var list = box.querySelector("[data-period-list]");
    if (!blank || !list) { return; }
    var next = parseInt(box.getAttribute("data-next"), 10) || 0;
    var add = document.createElement("button");
    add.type = "button";
    add.className = "secondary roster-add";
    add.textContent = box.getAttribute("data-add-label") || "+";
    add.addEventListener("click", function () {
      var holder = document.createElement("div");
      holder.innerHTML = blank.innerHTML.split("__i__").join(String(next));
      next += 1;
      var row = holder.firstElementChild;
      if (!row) { return; }
      list.appendChild(row);
      var first = row.querySelector("input[type=text]");
      if (first) { first.focus(); }
    });
    box.appendChild(add);
  });
})();

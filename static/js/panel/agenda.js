/* Control panel: the agenda. Drag an activity by its handle to reorder (the move up/down
 * buttons do the same from the keyboard, and work without this script); the add form shows
 * only the fields of the chosen kind.
 */
(function () {
  "use strict";

  const root = document.getElementById("panel");
  if (!root) return;

  // --- the add form: only the chosen kind's fields ---
  const addForm = document.getElementById("add-form");
  if (addForm && addForm.elements.kind) {
    const kind = addForm.elements.kind;
    const showKind = function () {
      addForm.querySelectorAll("[data-kinds]").forEach(function (box) {
        const on = box.dataset.kinds.split(" ").indexOf(kind.value) !== -1;
        box.hidden = !on;
        box.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !on; });
      });
    };
    kind.addEventListener("change", showKind);
    addForm.addEventListener("reset", function () { window.setTimeout(showKind, 0); });
    showKind();
  }

  // --- drag and drop ---
  let dragged = null;

  function list() { return document.getElementById("agenda-list"); }

  function arm() {
    const ol = list();
    if (!ol || !window.WorkshopPanel) return;
    ol.querySelectorAll("li[data-activity]").forEach(function (li) {
      const handle = li.querySelector("[data-drag-handle]");
      if (!handle) return;
      handle.hidden = false;
      handle.draggable = true;
    });
  }

  function order() {
    const seen = new Set();
    Array.from(list().querySelectorAll("li[data-activity]")).forEach(function (li) {
      seen.add(li.dataset.activity);
    });
    return Array.from(seen);
  }

  root.addEventListener("dragstart", function (event) {
    const li = event.target.closest && event.target.closest("#agenda-list li[data-activity]");
    if (!li) return;
    dragged = li;
    li.classList.add("is-dragged");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.dataset.activity);
  });

  function target(event) {
    const over = event.target.closest && event.target.closest("#agenda-list li[data-activity]");
    return over && over !== dragged ? over : null;
  }

  root.addEventListener("dragover", function (event) {
    if (dragged && target(event)) event.preventDefault(); // a place it may be dropped
  });

  root.addEventListener("drop", function (event) {
    const over = dragged && target(event);
    if (!over) return;
    event.preventDefault();
    // The panel may have been redrawn (a broadcast) while the item was held: move the
    // item as it is in today's list, never the detached copy of the old one.
    const current = list().querySelector('li[data-activity="' + dragged.dataset.activity + '"]');
    if (!current || current === over) return;
    dragged = current;
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    const before = order().join(",");
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
    if (order().join(",") !== before) saveOrder();
  });

  root.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragged");
    dragged = null;
  });

  function saveOrder() {
    const ol = list();
    const form = document.createElement("form");
    form.method = "post";
    form.action = ol.dataset.orderUrl;
    form.hidden = true;
    const csrf = root.querySelector('input[name="csrf_token"]');
    [["csrf_token", csrf ? csrf.value : ""], ["value", order().join(",")]].forEach(function (pair) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    root.appendChild(form);
    window.WorkshopPanel.send(form).then(function () { form.remove(); });
  }

  document.addEventListener("panel:redrawn", arm);
  arm();
})();

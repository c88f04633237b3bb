/* Projector: any number of items fits the screen. After presenter.js draws the wall or a
 * chart, the items are measured and cut into pages of what fits between the prompt and the
 * bottom of the screen; one page shows at a time. Per kind:
 *  - ranked results (dot votes, rankings, ratings, polls): the top of the list, then
 *    "and M more" (the next pages hold the rest);
 *  - the wall and agree cards: "Page x of y".
 * The presenter's keys page through (mode.js calls next/previous). Loaded after presenter.js.
 */
(function () {
  "use strict";

  const stage = document.getElementById("stage");
  if (!stage) return;
  const t = (function () {
    const node = document.getElementById("i18n");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();
  const RANKED = /\bchart-(dot_vote|rank|rating|poll)\b/;

  let list = null;
  let pages = [];
  let page = 0;
  let frame = null;

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function noteNode() {
    let note = document.getElementById("pager-note");
    if (!note || !stage.contains(note)) {
      note = document.createElement("p");
      note.id = "pager-note";
      note.className = "pager-note";
      note.hidden = true;
      stage.appendChild(note);
    }
    return note;
  }

  function fit() {
    observer.disconnect();
    try {
      const found = stage.classList.contains("is-opinion-view") ? null : stage.querySelector("#wall, #chart");
      if (found !== list) page = 0; // a new activity or a new chart starts on page one
      list = found;
      const note = noteNode();
      if (!list || !list.children.length) {
        pages = [];
        note.hidden = true;
        return;
      }
      const items = Array.from(list.children);
      items.forEach(function (item) { item.hidden = false; });
      note.hidden = false;
      note.textContent = "\u00a0";
      const reserve = note.getBoundingClientRect().height + 16;
      const room = Math.max(window.innerHeight - list.getBoundingClientRect().top - reserve, 80);
      pages = [];
      let current = [];
      let pageTop = null;
      items.forEach(function (item) {
        const box = item.getBoundingClientRect();
        if (pageTop === null) pageTop = box.top;
        if (current.length && box.bottom - pageTop > room) {
          pages.push(current);
          current = [];
          pageTop = box.top;
        }
        current.push(item);
      });
      if (current.length) pages.push(current);
      page = Math.min(page, pages.length - 1);
      items.forEach(function (item) { item.hidden = true; });
      pages[page].forEach(function (item) { item.hidden = false; });
      const after = pages.slice(page + 1).reduce(function (n, p) { return n + p.length; }, 0);
      const parts = [];
      if (RANKED.test(list.className) && after) parts.push(fmt(t.and_more, { n: after }));
      if (pages.length > 1) parts.push(fmt(t.page, { n: page + 1, total: pages.length }));
      note.textContent = parts.join(" · ");
      note.hidden = !parts.length;
      stage.dataset.items = String(items.length);
      stage.dataset.pages = String(pages.length);
      stage.dataset.page = String(page + 1);
      // What the pages were cut for (the per-group numbers make every bar taller).
      stage.dataset.fitGroups = document.body.classList.contains("show-groups") ? "1" : "0";
    } finally {
      observer.observe(stage, { childList: true, subtree: true, characterData: true });
    }
  }

  function soon() {
    if (frame) return;
    frame = window.requestAnimationFrame(function () { frame = null; fit(); });
  }

  const observer = new MutationObserver(soon);
  window.addEventListener("resize", soon);
  document.addEventListener("fullscreenchange", soon);
  soon();

  window.WorkshopPager = {
    refit: soon,
    // false when there is no further page (the remote then moves the room on)
    next: function () {
      if (page + 1 >= pages.length) return false;
      page += 1;
      fit();
      return true;
    },
    previous: function () {
      if (page <= 0) return false;
      page -= 1;
      fit();
      return true;
    },
  };
})();

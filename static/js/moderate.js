/* Moderation page, live: new statements (visible ones, and ones waiting for approval) and
 * every moderation change made on another screen appear without a reload. The lists are
 * re-rendered by the server (GET .../moderate/parts) and replaced in place; while the
 * facilitator is choosing or rewording something the redraw waits until they are done.
 */
(function () {
  "use strict";

  const box = document.getElementById("moderation-sections");
  if (!box || typeof window.io !== "function" || !window.fetch) return;

  const audit = document.getElementById("moderation-audit");
  const note = document.getElementById("moderation-live");
  let timer = null;
  let waiting = false;

  function busy() {
    const active = document.activeElement;
    if (box.querySelector("details[open]")) return true;
    if (active && box.contains(active) && /^(SELECT|TEXTAREA|INPUT)$/.test(active.tagName)) return true;
    return Array.from(box.querySelectorAll("select")).some(function (s) { return s.value !== ""; });
  }

  function redraw() {
    if (busy()) {
      waiting = true;
      if (note) note.hidden = false;
      return;
    }
    waiting = false;
    window.fetch(box.dataset.partsUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) return;
        if (busy()) { waiting = true; return; }
        box.innerHTML = body.sections;
        if (audit && body.audit) audit.innerHTML = body.audit;
        if (note) note.hidden = true;
        document.dispatchEvent(new CustomEvent("moderation:redrawn"));
      })
      .catch(function () { waiting = true; });
  }

  function soon() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; redraw(); }, 200);
  }

  // A redraw that waited for the facilitator happens once they leave the form.
  ["focusout", "toggle", "change"].forEach(function (name) {
    box.addEventListener(name, function () { if (waiting) window.setTimeout(soon, 50); }, true);
  });

  const socket = window.io({
    auth: { workshop: box.dataset.code, role: "facilitator" },
    transports: ["websocket", "polling"],
    tryAllTransports: true,
  });
  socket.on("statement", soon);
  socket.on("moderation", soon);
  socket.on("statements", soon);
  socket.on("connect", function () { if (waiting) soon(); });
})();

/* Projector: presenter mode. Full screen (the F key or the button, Fullscreen API); in full
 * screen, or with ?presenter=1, no language switch, toolbar or other chrome. A doors-open
 * screen with a large QR code while no activity runs (or on the Q key), a corner QR during
 * activities. A keyboard remote: → ↓ Page Down Space for the next page of results, then the
 * next activity; ← ↑ Page Up for the previous (moving the room needs a facilitator's login
 * in this browser; otherwise only the pages turn).
 */
(function () {
  "use strict";

  const root = document.getElementById("present");
  const stage = document.getElementById("stage");
  if (!root || !stage) return;
  const t = (function () {
    const node = document.getElementById("i18n");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();
  const forced = /[?&]presenter=1\b/.test(window.location.search);
  const fsButton = document.getElementById("fullscreen-button");
  const qrButton = document.getElementById("qr-button");
  let bigQr = false;

  function fullscreen() { return !!document.fullscreenElement; }

  function presenting() {
    const on = forced || fullscreen();
    document.body.classList.toggle("is-presenting", on);
    if (fsButton) fsButton.textContent = fullscreen() ? t.exit_fullscreen : t.fullscreen;
  }

  function toggleFullscreen() {
    if (fullscreen()) {
      if (document.exitFullscreen) document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay */ });
    }
  }

  // The doors-open screen while nothing runs, or while the Q key asks for it.
  function doors() {
    const idle = !stage.querySelector("#prompt");
    root.classList.toggle("is-doors", idle || bigQr);
    if (qrButton) qrButton.setAttribute("aria-pressed", String(bigQr));
  }

  function advance(direction) {
    const url = root.dataset.advanceUrl;
    if (!url || !window.fetch) return;
    const body = new FormData();
    body.append("csrf_token", root.dataset.csrf || "");
    body.append("value", direction);
    window.fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Panel": "parts", "X-CSRFToken": root.dataset.csrf || "" },
    }).catch(function () { /* the next key press tries again */ });
  }

  function step(forward) {
    if (bigQr) { bigQr = false; doors(); return; }
    const pager = window.WorkshopPager;
    const turned = pager ? (forward ? pager.next() : pager.previous()) : false;
    if (!turned) advance(forward ? "next" : "previous");
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    const key = event.key;
    if (key === "f" || key === "F") toggleFullscreen();
    else if (key === "q" || key === "Q") { bigQr = !bigQr; doors(); }
    else if ((key === "g" || key === "G") && window.WorkshopBreakdown) window.WorkshopBreakdown.toggle();
    else if (/^(ArrowRight|ArrowDown|PageDown)$/.test(key) || key === " ") step(true);
    else if (/^(ArrowLeft|ArrowUp|PageUp)$/.test(key)) step(false);
    else return;
    event.preventDefault();
  });

  if (fsButton) fsButton.addEventListener("click", toggleFullscreen);
  if (qrButton) qrButton.addEventListener("click", function () { bigQr = !bigQr; doors(); });
  document.addEventListener("fullscreenchange", presenting);
  new MutationObserver(doors).observe(stage, { childList: true });
  presenting();
  doors();
})();

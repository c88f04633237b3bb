/* Control panel: every button and form acts in place. The forms stay plain HTML forms (they
 * work without this script: the server answers with a redirect back to the panel); here
 * they are sent with fetch and "X-Panel: parts", and the server answers JSON with the
 * re-rendered now card and agenda, which replace the old ones. The live activity's card is
 * sticky, so it stays in view; the confirmation is said in its status line.
 */
(function () {
  "use strict";

  const root = document.getElementById("panel");
  if (!root || !window.fetch || !window.FormData) return;

  const t = readJSON("i18n") || {};
  const partsUrl = window.location.pathname.replace(/\/$/, "") + "/panel-parts";
  let lastParts = {};
  let countdownTimer = null;
  let busy = false;

  function readJSON(id) {
    const node = document.getElementById(id);
    try {
      return node ? JSON.parse(node.textContent) : null;
    } catch (e) {
      return null;
    }
  }

  function say(text, kind) {
    const node = document.getElementById("panel-status");
    if (!node) return;
    node.textContent = text || "";
    node.dataset.state = kind || "ok";
  }

  // The control to focus after a redraw: the same form (action + value) if it still exists.
  function formKey(form) {
    const value = form.elements.value ? form.elements.value.value : "";
    return form.getAttribute("action") + "|" + value;
  }

  function findForm(key) {
    return Array.from(root.querySelectorAll("form")).find(function (f) { return formKey(f) === key; });
  }

  function editing() {
    const agenda = document.getElementById("agenda");
    if (!agenda) return false;
    if (agenda.querySelector("details.edit[open], .is-dragged")) return true; // a held item too
    const active = document.activeElement;
    return !!active && agenda.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }

  // Replace the parts that changed; the agenda is left alone while an edit form is open,
  // unless the change came from this panel's own action (force).
  function applyParts(parts, force) {
    if (!parts) return;
    ["now", "agenda"].forEach(function (name) {
      const box = document.getElementById(name);
      if (!box || parts[name] === undefined || parts[name] === lastParts[name]) return;
      if (name === "agenda" && !force && editing()) return;
      const status = document.getElementById("panel-status");
      const kept = status ? [status.textContent, status.dataset.state] : null;
      box.innerHTML = parts[name];
      lastParts[name] = parts[name];
      if (name === "now" && kept) say(kept[0], kept[1]);
    });
    startCountdown();
    document.dispatchEvent(new CustomEvent("panel:redrawn"));
  }

  function refresh() {
    return window.fetch(partsUrl, { headers: { "X-Panel": "parts" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) applyParts(body.parts, false); })
      .catch(function () { /* the socket's next state tries again */ });
  }

  let refreshTimer = null;
  function refreshSoon() {
    if (refreshTimer) window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(function () { refreshTimer = null; if (!busy) refresh(); }, 150);
  }

  function send(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const key = formKey(form);
    busy = true;
    form.classList.add("is-sending");
    return window.fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Panel": "parts", "X-CSRFToken": data.get("csrf_token") || "" },
    }).then(function (response) {
      const type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) throw new Error("not json");
      return response.json();
    }).then(function (body) {
      busy = false;
      applyParts(body.parts, true);
      if (body.ok) say(body.message || "", "ok");
      else say((t.failed || "") + " " + ((body.error && body.error.message) || ""), "error");
      if (body.ok && form.id === "add-form") form.reset();
      const again = findForm(key);
      const target = again ? again.querySelector("button, input:not([type=hidden])") : null;
      if (target && document.body.contains(target)) target.focus({ preventScroll: true });
      else if (!document.body.contains(document.activeElement) || document.activeElement === document.body) {
        const now = document.getElementById("now");
        if (now) now.focus({ preventScroll: true });
      }
      keepNowInView();
      document.dispatchEvent(new CustomEvent("panel:acted", { detail: body }));
    }).catch(function () {
      busy = false;
      form.classList.remove("is-sending");
      form.submit(); // the plain form: the server redirects back to the panel
    });
  }

  // The now card is sticky; scrolled above its place it is pulled back into view.
  function keepNowInView() {
    const now = document.getElementById("now");
    if (!now) return;
    const box = now.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight) now.scrollIntoView({ block: "start" });
  }

  root.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") return;
    if (form.dataset.plain !== undefined) return;
    event.preventDefault();
    send(form, event.submitter);
  });

  function startCountdown() {
    if (countdownTimer) window.clearInterval(countdownTimer);
    countdownTimer = null;
    const node = document.getElementById("now-timer");
    if (!node) return;
    const deadline = Date.now() + Number(node.dataset.remaining || 0) * 1000;
    function tick() {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      node.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      node.classList.toggle("is-ending", left <= 30);
      if (!left && countdownTimer) window.clearInterval(countdownTimer);
    }
    tick();
    countdownTimer = window.setInterval(tick, 1000);
  }

  lastParts = {};
  startCountdown();

  window.WorkshopPanel = { refreshSoon: refreshSoon, send: send, say: say };
})();

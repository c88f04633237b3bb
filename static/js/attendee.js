/* Attendee phone: live activity, statements and votes over Socket.IO.
 *
 * This file is the core: the outbox, the connection, the brainstorm and what every vote
 * kind shares. Each vote kind and the revealed results are drawn by a file of their own in
 * static/js/phone/ (loaded first; built here with a context, see VOTE_KINDS).
 *
 * The page works without this script (plain forms). With it, writes go over
 * the socket with an acknowledgement; a write that is not acknowledged stays in
 * localStorage and is sent again, with the same client_id, after reconnecting.
 * Participant text is only ever inserted with textContent.
 */
(function () {
  "use strict";

  const root = document.getElementById("room");
  if (!root) return;

  const ACK_TIMEOUT = 5000;
  // Resends back off from 1 s to 30 s with jitter (static/js/phone/retry.js).
  const RETRY_BASE = 1000;
  const RETRY_MAX = 30000;
  const backoff = window.WorkshopRetry || {
    socketOptions: {},
    delay: function (attempt, base) { return base * 2; },
  };
  const MAX_LISTED = 300;
  // Each vote kind's ballot field, as the server sends and takes it.
  const FIELDS = { dot_vote: "dots", rank: "ranking", agree: "answers", rating: "ratings", poll: "choices" };
  Object.assign(FIELDS, { matrix: "placements", points: "points", budget: "selection" });

  const code = root.dataset.code;
  const t = readJSON("i18n") || {};
  const lang = (document.documentElement.lang || "th").slice(0, 2);
  const activityBox = document.getElementById("activity");
  const connectionBox = document.getElementById("connection");
  const announcer = document.getElementById("announce");
  const outboxKey = "workshop:outbox:" + code + ":" + (root.dataset.participant || "");

  let state = readJSON("initial-state") || {};
  let renderedKey = null;
  let renderedActivityId = null;
  let shownIds = new Set();
  const shownText = new Map();
  // The current vote as this phone shows it: {activityId, kind, saved, dirty, <field>: ...}
  // where <field> is the kind's ballot field (FIELDS) and saved is what the server has.
  let ballot = null;
  let lastTally = readJSON("initial-results"); // revealed results when the page was served
  let everConnected = false;
  let sending = null; // client_id of the write in flight
  let retryTimer = null;
  let retries = 0; // resends since the last answer: the back-off's exponent
  let serverInput = null; // {activityId, entries: [name, value]}: the plain vote form replaced
  let outbox = loadOutbox();

  // One status line for writes; moved into whichever form is shown.
  const writeStatus = el("p", { id: "write-status", className: "write-status", role: "status" });
  writeStatus.setAttribute("aria-live", "polite");

  // ---------- helpers ----------

  function readJSON(id) {
    const node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        const value = props[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else if (key === "dataset") Object.assign(node.dataset, value);
        else if (key in node && typeof value !== "string") node[key] = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function promptOf(activity) {
    const translations = activity.prompt_translations || {};
    return translations[lang] || activity.prompt || activity.display_prompt || "";
  }

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function hidden(name, value) {
    return el("input", { type: "hidden", name: name, value: value === undefined ? "" : String(value) });
  }

  function formBasics(activity) {
    // Hidden fields so that the form can still post normally (see onStatementSubmit).
    return [
      hidden("csrf_token", root.dataset.csrf || ""),
      hidden("activity_id", activity.id),
      hidden("client_id", newClientId()),
    ];
  }

  // ---------- outbox (writes not yet acknowledged) ----------

  function loadOutbox() {
    try {
      const raw = window.localStorage.getItem(outboxKey);
      const list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function saveOutbox() {
    try {
      if (outbox.length) window.localStorage.setItem(outboxKey, JSON.stringify(outbox));
      else window.localStorage.removeItem(outboxKey);
    } catch (e) {
      /* private mode or full: the write still lives in memory */
    }
  }

  function queue(entry) {
    if (entry.event === "vote") {
      // A newer ballot for the same activity replaces a queued one (not the one in flight).
      // Agree answers go one statement at a time: only an answer to the same statement does.
      outbox = outbox.filter(function (e) {
        return !(e.event === "vote" && e.payload.activity_id === entry.payload.activity_id &&
                 e.payload.statement_id === entry.payload.statement_id &&
                 e.payload.client_id !== sending);
      });
    }
    outbox.push(entry);
    saveOutbox();
    setStatus("sending", t.sending);
    flush();
  }

  function votePending() {
    return outbox.some(function (e) { return e.event === "vote"; });
  }

  function dropFromOutbox(clientId) {
    outbox = outbox.filter(function (e) { return e.payload.client_id !== clientId; });
    saveOutbox();
  }

  function flush() {
    if (sending || !outbox.length) return;
    if (!socket.connected) {
      setStatus("retry", t.retry);
      scheduleRetry();
      return;
    }
    const entry = outbox[0];
    const clientId = entry.payload.client_id;
    sending = clientId;
    socket.timeout(ACK_TIMEOUT).emit(entry.event, entry.payload, function (err, ack) {
      if (sending === clientId) sending = null;
      if (err || (ack && !ack.ok && ack.error && ack.error.code === "busy")) {
        // No answer in time, or the server is busy: keep it, send it again (same
        // client_id) after a jittered back-off.
        setStatus("retry", t.retry);
        scheduleRetry();
        return;
      }
      retries = 0;
      dropFromOutbox(clientId);
      if (ack && ack.ok) onAcked(entry, ack);
      else onRefused(entry, ack);
      flush();
    });
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      if (outbox.length && socket.connected) flush();
      else if (outbox.length) scheduleRetry();
    }, backoff.delay(retries++, RETRY_BASE, RETRY_MAX));
  }

  function onAcked(entry, ack) {
    if (entry.event === "submit") {
      // The statement itself arrives as a "statement" broadcast (unless it awaits approval).
      removePending(entry.payload.client_id);
      const waits = ack.pending || (ack.statement && ack.statement.pending);
      if (!outbox.length) setStatus("ok", waits && t.sent_pending ? t.sent_pending : t.sent);
    } else {
      applySaved(ack.ballot);
      const agree = entry.payload.statement_id !== undefined;
      if (!outbox.length) setStatus("ok", agree && t.answers_saved ? t.answers_saved : t.vote_saved);
    }
  }

  function onRefused(entry, ack) {
    const message = ack && ack.error ? ack.error.message : "";
    if (entry.event === "submit") {
      removePending(entry.payload.client_id);
      const textarea = document.getElementById("text");
      if (textarea && !textarea.value) textarea.value = entry.payload.text;
    } else if (ballot && entry.payload.activity_id === ballot.activityId) {
      if (ballot.kind === "agree") {
        // That one answer was not taken: show the answer the server has again.
        const id = String(entry.payload.statement_id);
        if (id in ballot.saved) ballot.answers[id] = ballot.saved[id];
        else delete ballot.answers[id];
      } else {
        ballot.dirty = true;
      }
      refreshBallot();
    }
    setStatus("error", (t.failed || "") + " " + message);
  }

  function setStatus(kind, text) {
    writeStatus.dataset.state = kind;
    writeStatus.textContent = text || "";
  }

  // ---------- rendering ----------

  function keyOf(activity) {
    return activity
      ? [activity.id, activity.kind, activity.state, activity.locked ? "locked" : "",
        activity.opinion_own_dot ? "own-dot" : ""].join(":")
      : "none";
  }

  function render(newState, force) {
    state = newState || state;
    const activity = state.current_activity;
    const key = keyOf(activity);
    if (key === renderedKey && !force) {
      update();
      return;
    }
    const previous = renderedKey;
    const draft = document.getElementById("text");
    const draftText = draft ? draft.value : "";
    const sameActivity = !!activity && renderedActivityId === activity.id;
    // The first drawing replaces the server's plain form: keep what was typed or ticked in it
    // before this script ran (a slow phone shows the form seconds earlier).
    const firstForm = previous === null && activity ? serverForm(activity) : null;
    serverInput = firstForm && firstForm.id === "vote-form"
      ? { activityId: activity.id, entries: formEntries(firstForm) } : null;
    renderedKey = key;
    renderedActivityId = activity ? activity.id : null;
    shownIds = new Set();
    if (!sameActivity) ballot = null;
    if (!sameActivity && /^(ok|dirty)$/.test(writeStatus.dataset.state || "")) setStatus("", "");
    activityBox.textContent = "";

    if (!activity) {
      activityBox.appendChild(el("div", { className: "card waiting" }, [
        el("h1", { text: t.waiting_title }),
        el("p", { text: t.waiting }),
        writeStatus,
      ]));
    } else if (activity.state !== "open") {
      activityBox.appendChild(el("div", { className: "card waiting" }, [
        el("h1", { lang: "th", text: promptOf(activity) }),
        el("p", { text: t.closed }),
        writeStatus,
      ]));
      activityBox.appendChild(el("div", { id: "results" }));
    } else if (activity.kind === "brainstorm") {
      renderBrainstorm(activity, sameActivity || firstForm ? draftText : "");
    } else if (VOTE_KINDS[activity.kind]) {
      VOTE_KINDS[activity.kind].render(activity);
    } else {
      activityBox.appendChild(el("div", { className: "card waiting" }, [
        el("h1", { lang: "th", text: promptOf(activity) }),
        el("p", { text: t.unsupported }),
        writeStatus,
      ]));
      activityBox.appendChild(el("div", { id: "results" }));
    }
    if (previous !== null && previous !== key) {
      announce(activity ? promptOf(activity) + (activity.state !== "open" ? " · " + t.closed : "")
                        : t.waiting_title);
    }
    renderResults();
    countdown.set(activity);
  }

  // The server-rendered form of this activity, if the page still shows it.
  function serverForm(activity) {
    const form = document.getElementById("statement-form") || document.getElementById("vote-form");
    return form && form.elements.activity_id && Number(form.elements.activity_id.value) === activity.id
      ? form : null;
  }

  function formEntries(form) {
    const entries = [];
    new FormData(form).forEach(function (value, name) {
      if (!/^(csrf_token|activity_id|client_id)$/.test(name)) entries.push([name, String(value)]);
    });
    return entries;
  }

  function update() {
    const activity = state.current_activity;
    countdown.set(activity);
    if (!activity || activity.state !== "open") {
      renderResults();
      return;
    }
    if (activity.kind === "brainstorm") {
      const ids = new Set((state.statements || []).map(function (s) { return s.id; }));
      const list = document.getElementById("statements");
      const edited = (state.statements || []).some(function (s) {
        return shownText.has(s.id) && shownText.get(s.id) !== s.text;
      });
      if (list && (edited || Array.from(shownIds).some(function (id) { return !ids.has(id); }))) {
        // Hidden, merged or reworded by the facilitator: rebuild the list.
        Array.from(list.querySelectorAll("li[data-id]")).forEach(function (li) { li.remove(); });
        shownIds = new Set();
      }
      (state.statements || []).forEach(addStatement);
    } else if (FIELDS[activity.kind]) {
      const form = document.getElementById("vote-form");
      if (form && ballotSignatures.get(form) !== signature(state.statements)) {
        render(state, true); // the ideas changed (moderation): new ballot list, same answers
        return;
      }
      applySaved(state.my_ballot);
    }
    renderResults();
  }

  // While the facilitator pauses submissions the form stays visible but cannot be sent.
  function pausedNote(activity, form) {
    if (!activity.locked) return null;
    form.classList.add("is-paused");
    form.querySelectorAll("button").forEach(function (control) { control.disabled = true; });
    return el("p", { className: "notice paused", text: t.paused });
  }

  // --- brainstorm ---

  function renderBrainstorm(activity, draftText) {
    const textarea = el("textarea", {
      id: "text", name: "text", maxlength: "280", rows: "3", required: true, lang: "th",
      "aria-describedby": "text-hint",
    });
    textarea.value = draftText || "";
    const form = el("form", {
      id: "statement-form", className: "stack", method: "post", action: root.dataset.submitUrl,
    }, formBasics(activity).concat([
      el("div", { className: "field" }, [
        el("label", { for: "text", text: t.your_idea }),
        textarea,
        el("p", { className: "hint", id: "text-hint", text: t.idea_hint }),
      ]),
      el("button", { type: "submit", className: "button primary", text: t.send }),
      writeStatus,
    ]));
    form.addEventListener("submit", onStatementSubmit);
    activityBox.appendChild(el("div", { className: "card" }, [
      el("h1", { lang: "th", text: promptOf(activity) }),
      pausedNote(activity, form),
      form,
    ]));
    activityBox.appendChild(el("h2", null, [
      (t.ideas_so_far || "") + " (",
      el("span", { id: "statement-count", text: "0" }),
      ")",
    ]));
    activityBox.appendChild(el("ul", { className: "statements", id: "statements" }));
    (state.statements || []).forEach(addStatement);
    outbox.forEach(function (entry) {
      if (entry.event === "submit" && entry.payload.activity_id === activity.id) {
        showPending(entry);
      }
    });
  }

  function isCurrentBrainstorm(activityId) {
    const a = state.current_activity;
    return a && a.kind === "brainstorm" && a.state === "open" && a.id === activityId;
  }

  function addStatement(statement) {
    if (!statement || !isCurrentBrainstorm(statement.activity_id)) return;
    if (shownIds.has(statement.id)) return;
    const list = document.getElementById("statements");
    if (!list) return;
    shownIds.add(statement.id);
    shownText.set(statement.id, statement.text);
    const item = el("li", { lang: "th", dataset: { id: String(statement.id) }, text: statement.text });
    // Newest first: put it before the first older statement (pending ones stay on top).
    let before = list.firstElementChild;
    while (before && (before.classList.contains("pending") || Number(before.dataset.id) > statement.id)) {
      before = before.nextElementSibling;
    }
    list.insertBefore(item, before);
    while (list.children.length > MAX_LISTED) list.removeChild(list.lastElementChild);
    const count = document.getElementById("statement-count");
    if (count) count.textContent = String(shownIds.size);
  }

  function showPending(entry) {
    const list = document.getElementById("statements");
    if (!list || list.querySelector('[data-client-id="' + cssEscape(entry.payload.client_id) + '"]')) return;
    list.insertBefore(el("li", {
      lang: "th", className: "pending", dataset: { clientId: entry.payload.client_id },
      text: entry.payload.text,
    }), list.firstElementChild);
  }

  function removePending(clientId) {
    const node = document.querySelector('#statements [data-client-id="' + cssEscape(clientId) + '"]');
    if (node) node.remove();
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
  }

  function onStatementSubmit(event) {
    const form = event.currentTarget;
    if (!everConnected && navigator.onLine !== false) return; // no socket yet: post the form
    event.preventDefault();
    const textarea = form.querySelector("textarea");
    const text = textarea.value.trim();
    if (!text) {
      textarea.focus();
      return;
    }
    const entry = {
      event: "submit",
      payload: {
        activity_id: Number(form.elements.activity_id.value),
        text: text,
        client_id: newClientId(),
      },
    };
    textarea.value = "";
    form.elements.client_id.value = newClientId();
    showPending(entry);
    queue(entry);
  }

  // --- votes: what every kind shares ---

  // What the ballot was drawn from: redrawn when ideas are hidden, merged or reworded.
  const ballotSignatures = new WeakMap();

  function signature(statements) {
    return JSON.stringify((statements || []).map(function (s) { return [s.id, s.text, s.cost]; }));
  }

  // A private copy of a kind's ballot field: id lists for rank and poll, {id: value} otherwise.
  function copyField(kind, value) {
    if (kind === "rank" || kind === "poll" || kind === "budget") return Array.isArray(value) ? value.map(Number) : [];
    return Object.assign({}, value || {});
  }

  // The ballot of this activity: the server's (my_ballot), with any write still waiting in the
  // outbox (sent offline, then the page was reloaded) shown as made.
  function startBallot(activity, extra) {
    if (!ballot || ballot.activityId !== activity.id) {
      const kind = activity.kind;
      const field = FIELDS[kind];
      const mine = state.my_ballot && state.my_ballot.activity_id === activity.id ? state.my_ballot : {};
      ballot = { activityId: activity.id, kind: kind, saved: copyField(kind, mine[field]), dirty: false };
      ballot[field] = copyField(kind, ballot.saved);
      outbox.forEach(function (entry) {
        if (entry.event !== "vote" || entry.payload.activity_id !== activity.id) return;
        if (kind === "agree" && entry.payload.statement_id !== undefined) {
          ballot.answers[String(entry.payload.statement_id)] = entry.payload.value;
        } else if (field in entry.payload) {
          ballot[field] = copyField(kind, entry.payload[field]);
        }
      });
      adoptServerInput();
    }
    Object.assign(ballot, extra || {});
    return ballot;
  }

  // Choices made in the plain form before this script ran: kept as not yet saved (agree
  // answers are sent at once, as if tapped).
  function adoptServerInput() {
    const input = serverInput;
    serverInput = null;
    if (!input || !ballot || input.activityId !== ballot.activityId) return;
    const entries = input.entries;
    const kind = ballot.kind;
    const field = FIELDS[kind];
    const named = function (prefix) {
      const out = {};
      entries.forEach(function (pair) {
        if (pair[0].indexOf(prefix) === 0 && pair[1].trim() !== "") out[pair[0].slice(prefix.length)] = Number(pair[1]);
      });
      return out;
    };
    let typed;
    if (kind === "dot_vote") {
      typed = named("dots-");
      Object.keys(typed).forEach(function (id) { if (!(typed[id] > 0)) delete typed[id]; });
    } else if (kind === "rank") {
      const places = named("rank-");
      typed = Object.keys(places).sort(function (a, b) { return a - b; }).map(function (p) { return places[p]; });
    } else if (kind === "rating") {
      typed = named("rating-");
    } else if (kind === "poll") {
      typed = entries.filter(function (pair) { return pair[0] === "choice"; })
        .map(function (pair) { return Number(pair[1]); }).sort(function (a, b) { return a - b; });
      ballot.choices.sort(function (a, b) { return a - b; });
    } else if (kind === "agree") {
      const answers = named("agree-");
      Object.keys(answers).forEach(function (id) {
        if (ballot.answers[id] === answers[id]) return;
        ballot.answers[id] = answers[id];
        queue({
          event: "vote",
          payload: { activity_id: ballot.activityId, client_id: newClientId(), statement_id: Number(id), value: answers[id] },
        });
      });
      return;
    }
    if (typed !== undefined && JSON.stringify(typed) !== JSON.stringify(ballot[field])) {
      ballot[field] = copyField(kind, typed);
      markDirty();
    }
  }

  // Forget choices of ideas that are no longer on the ballot (hidden or merged meanwhile).
  function dropIneligible(statements) {
    const eligible = new Set(statements.map(function (s) { return String(s.id); }));
    const field = FIELDS[ballot.kind];
    if (Array.isArray(ballot[field])) {
      ballot[field] = ballot[field].filter(function (id) { return eligible.has(String(id)); });
    } else {
      Object.keys(ballot[field]).forEach(function (id) { if (!eligible.has(id)) delete ballot[field][id]; });
    }
  }

  // The server's copy of the ballot (an acknowledgement or my_ballot in a new state).
  function applySaved(data) {
    if (!ballot || !data || data.activity_id !== ballot.activityId || votePending()) return;
    const field = FIELDS[ballot.kind];
    ballot.saved = copyField(ballot.kind, data[field]);
    if (!ballot.dirty) ballot[field] = copyField(ballot.kind, ballot.saved);
    refreshBallot();
  }

  function refreshBallot() {
    if (!ballot || !document.getElementById("vote-form")) return;
    const kind = VOTE_KINDS[ballot.kind];
    if (kind) kind.refresh();
  }

  // A change on the phone that is not sent yet.
  function markDirty() {
    ballot.dirty = true;
    const now = writeStatus.dataset.state;
    if (!now || now === "ok") setStatus("dirty", t.unsaved);
  }

  function isPaused() {
    const form = document.getElementById("vote-form");
    return !!form && form.classList.contains("is-paused");
  }

  function voteForm(activity, className, children) {
    const form = el("form", {
      id: "vote-form", className: className, method: "post", action: root.dataset.voteUrl,
    }, formBasics(activity).concat(children, [writeStatus]));
    form.addEventListener("submit", onVoteSubmit);
    ballotSignatures.set(form, signature(state.statements));
    return form;
  }

  function voteCard(activity, intro, form) {
    activityBox.appendChild(el("div", { className: "card" }, [
      el("h1", { lang: "th", text: promptOf(activity) }),
    ].concat(intro || [], [pausedNote(activity, form), form])));
    activityBox.appendChild(el("div", { id: "results" }));
  }

  function saveBar(label) {
    return el("div", { className: "vote-bar" }, [
      el("p", { className: "budget", id: "budget", "aria-live": "polite" }),
      el("button", { type: "submit", className: "button primary", text: label }),
    ]);
  }

  function onVoteSubmit(event) {
    const form = event.currentTarget;
    if (!everConnected && navigator.onLine !== false) return; // no socket yet: post the form
    event.preventDefault();
    if (!ballot) return;
    if (ballot.kind === "agree") {
      const button = event.submitter;
      if (button && button.dataset.value !== undefined) {
        VOTE_KINDS.agree.answer(button.dataset.id, Number(button.dataset.value));
      }
      return;
    }
    const payload = { activity_id: ballot.activityId, client_id: newClientId() };
    payload[FIELDS[ballot.kind]] = ballotValue();
    ballot.dirty = false;
    form.elements.client_id.value = newClientId();
    queue({ event: "vote", payload: payload });
  }

  function ballotValue() {
    if (ballot.kind !== "dot_vote") return copyField(ballot.kind, ballot[FIELDS[ballot.kind]]);
    const dots = {};
    Object.keys(ballot.dots).forEach(function (k) { if (ballot.dots[k] > 0) dots[k] = ballot.dots[k]; });
    return dots;
  }

  // ---------- vote kinds and results (static/js/phone/*.js, loaded before this file) ----------

  const context = {
    get state() { return state; },
    get ballot() { return ballot; },
    get lastTally() { return lastTally; },
    el: el, t: t, hidden: hidden, fmt: fmt, announce: announce, queue: queue, newClientId: newClientId,
    voteForm: voteForm, voteCard: voteCard, saveBar: saveBar, startBallot: startBallot,
    markDirty: markDirty, dropIneligible: dropIneligible, isPaused: isPaused,
  };
  const built = {};
  Object.keys(window.WorkshopPhone || {}).forEach(function (name) {
    built[name] = window.WorkshopPhone[name](context);
  });
  const results = built.results || { render: function () {} };
  delete built.results;
  const VOTE_KINDS = built; // kind -> {render, refresh}; agree adds answer

  function renderResults() {
    results.render();
  }

  // ---------- countdown (set by the facilitator) ----------

  const countdown = (function () {
    const node = el("p", { id: "countdown", className: "countdown", role: "timer", hidden: true });
    node.setAttribute("aria-label", t.time_left || "");
    root.insertBefore(node, activityBox);
    let deadline = null;
    let timer = null;
    function tick() {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      node.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      node.classList.toggle("is-ending", left <= 30);
      if (!left) stop();
    }
    function stop() {
      if (timer) window.clearInterval(timer);
      timer = null;
    }
    return {
      set: function (activity) {
        const seconds = activity && activity.state === "open" ? activity.remaining_seconds : null;
        if (typeof seconds !== "number") {
          stop();
          node.hidden = true;
          return;
        }
        deadline = Date.now() + seconds * 1000; // relative: immune to a wrong phone clock
        node.hidden = false;
        tick();
        if (!timer && seconds > 0) timer = window.setInterval(tick, 1000);
      },
    };
  })();

  // ---------- connection ----------

  function showConnection(text, kind) {
    root.dataset.connection = text ? kind : "online";
    if (!connectionBox) return;
    connectionBox.textContent = text || "";
    connectionBox.dataset.state = kind || "";
    connectionBox.hidden = !text;
  }

  // Without the socket client the server's plain forms stay as they are.
  if (typeof window.io !== "function") return;

  const socket = window.io(Object.assign({}, backoff.socketOptions, {
    auth: { workshop: code },
    transports: ["websocket", "polling"],
    tryAllTransports: true,
  }));

  render(state);

  socket.on("connect", function () {
    // Back from a restart or a lost network: what was not acknowledged goes out again now
    // (the reconnection itself was already spread out by the back-off).
    everConnected = true;
    showConnection("");
    retries = 0;
    flush();
  });

  socket.on("disconnect", function (reason) {
    showConnection(t.offline, "offline");
    if (reason === "io server disconnect") {
      // The server closed this socket on purpose: Socket.IO does not reconnect by itself.
      window.setTimeout(function () { socket.connect(); }, backoff.delay(1, 1000, 10000));
    }
    if (sending || outbox.length) setStatus("retry", t.retry);
  });

  socket.on("connect_error", function (err) {
    const data = err && err.data;
    if (data && data.code === "not_joined") {
      showConnection(t.not_joined, "error");
    } else {
      showConnection(t.offline, "offline");
    }
    if (outbox.length) setStatus("retry", t.retry);
  });

  socket.on("state", function (payload) {
    render(payload);
  });

  socket.on("statement", function (statement) {
    addStatement(statement);
  });

  socket.on("statements", function (payload) {
    const activity = state.current_activity;
    if (!payload || !activity) return;
    if (payload.activity_id === activity.id ||
        (activity.source_activity_id && payload.activity_id === activity.source_activity_id)) {
      render(Object.assign({}, state, { statements: payload.statements || [] }));
    }
  });

  socket.on("tally", function (tally) {
    lastTally = tally;
    renderResults();
  });

  window.addEventListener("offline", function () {
    showConnection(t.offline, "offline");
  });

  // Reconnect at once when the network is back instead of waiting for the back-off.
  function reconnectNow() {
    if (socket.connected) return;
    socket.disconnect();
    socket.connect();
  }

  window.addEventListener("online", function () {
    if (!socket.connected) {
      reconnectNow();
    } else {
      showConnection("");
      flush();
    }
  });

  // A phone waking up may hold a dead socket: ask for the state, reconnect if nobody answers.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") return;
    if (!socket.connected) {
      if (navigator.onLine !== false) reconnectNow();
      return;
    }
    socket.timeout(ACK_TIMEOUT).emit("sync", {}, function (err, ack) {
      if (err) {
        socket.disconnect();
        socket.connect();
        return;
      }
      if (ack && ack.ok && ack.state) {
        render(ack.state);
        flush();
      }
    });
  });

  // Before the first connection a slow network shows nothing; after 3 s say so.
  window.setTimeout(function () {
    if (!socket.connected) showConnection(t.offline, "offline");
  }, 3000);
})();

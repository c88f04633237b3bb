/* Attendee phone: live activity, statements and votes (dot vote, rank, agree, rating, poll)
 * over Socket.IO.
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
  const RETRY_EVERY = 4000;
  const MAX_LISTED = 300;
  // Each vote kind's ballot field, as the server sends and takes it.
  const FIELDS = { dot_vote: "dots", rank: "ranking", agree: "answers", rating: "ratings", poll: "choices" };

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
        // client_id) a bit later.
        setStatus("retry", t.retry);
        scheduleRetry();
        return;
      }
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
    }, RETRY_EVERY);
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
      ? [activity.id, activity.kind, activity.state, activity.locked ? "locked" : ""].join(":")
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
    } else if (activity.kind === "dot_vote") {
      renderDotVote(activity);
    } else if (activity.kind === "rank") {
      renderRank(activity);
    } else if (activity.kind === "agree") {
      renderAgree(activity);
    } else if (activity.kind === "rating") {
      renderRating(activity);
    } else if (activity.kind === "poll") {
      renderPoll(activity);
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
    return JSON.stringify((statements || []).map(function (s) { return [s.id, s.text]; }));
  }

  // A private copy of a kind's ballot field: id lists for rank and poll, {id: value} otherwise.
  function copyField(kind, value) {
    if (kind === "rank" || kind === "poll") return Array.isArray(value) ? value.map(Number) : [];
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
    const refresh = {
      dot_vote: refreshDots, rank: refreshRank, agree: refreshAgree, rating: refreshRating, poll: refreshPoll,
    }[ballot.kind];
    if (refresh) refresh();
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
      if (button && button.dataset.value !== undefined) answer(button.dataset.id, Number(button.dataset.value));
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

  function statementMap() {
    const map = new Map();
    (state.statements || []).forEach(function (s) { map.set(String(s.id), s); });
    return map;
  }

  // --- dot vote ---

  function renderDotVote(activity) {
    const statements = state.statements || [];
    const total = Number(activity.dots) || 5;
    const cap = Number(activity.max_per_item) || 3;
    startBallot(activity, { total: total, cap: cap });
    dropIneligible(statements);

    const list = el("ul", { className: "ballot", id: "ballot-list" });
    statements.forEach(function (s) {
      const textId = "st-" + s.id;
      list.appendChild(el("li", { className: "ballot-item", dataset: { id: String(s.id) } }, [
        el("p", { className: "ballot-text", id: textId, lang: "th", text: s.text }),
        el("div", { className: "stepper" }, [
          el("button", {
            type: "button", className: "step minus", dataset: { step: "-1" },
            "aria-label": t.remove_dot, "aria-describedby": textId, text: "−",
          }),
          el("span", { className: "dot-count" }, [
            el("span", { className: "dot-number" }),
            el("span", { className: "dot-pips", "aria-hidden": "true" }),
          ]),
          el("button", {
            type: "button", className: "step plus", dataset: { step: "1" },
            "aria-label": t.add_dot, "aria-describedby": textId, text: "+",
          }),
          hidden("dots-" + s.id, ballot.dots[String(s.id)] || 0),
        ]),
      ]));
    });
    if (!statements.length) list.appendChild(el("li", { text: t.no_ideas }));
    list.addEventListener("click", onStep);

    const form = voteForm(activity, "dot-form", [list, saveBar(t.save_vote)]);
    form.dataset.dots = String(total);
    form.dataset.cap = String(cap);
    voteCard(activity, el("p", { text: fmt(t.vote_rules, { dots: total, cap: cap }) }), form);
    refreshDots();
  }

  function used() {
    return Object.keys(ballot.dots).reduce(function (sum, k) { return sum + (ballot.dots[k] || 0); }, 0);
  }

  function refreshDots() {
    const form = document.getElementById("vote-form");
    if (!form || !ballot) return;
    const left = ballot.total - used();
    const paused = form.classList.contains("is-paused");
    form.querySelectorAll(".ballot-item").forEach(function (item) {
      const id = item.dataset.id;
      const n = ballot.dots[id] || 0;
      item.querySelector(".dot-number").textContent = String(n);
      item.querySelector(".dot-pips").textContent = "●".repeat(n) + "○".repeat(Math.max(ballot.cap - n, 0));
      item.querySelector(".minus").disabled = paused || n <= 0;
      item.querySelector(".plus").disabled = paused || n >= ballot.cap || left <= 0;
      item.querySelector('input[type="hidden"]').value = String(n);
      item.classList.toggle("has-dots", n > 0);
    });
    const budget = document.getElementById("budget");
    if (budget) budget.textContent = fmt(t.dots_left, { n: left });
  }

  function onStep(event) {
    const button = event.target.closest("button[data-step]");
    if (!button || !ballot) return;
    const id = button.closest(".ballot-item").dataset.id;
    const step = Number(button.dataset.step);
    const n = (ballot.dots[id] || 0) + step;
    if (n < 0 || n > ballot.cap || (step > 0 && used() >= ballot.total)) return;
    if (n) ballot.dots[id] = n;
    else delete ballot.dots[id];
    markDirty();
    refreshDots();
    if (button.disabled) {
      const other = button.parentNode.querySelector(step > 0 ? ".minus" : ".plus");
      if (other && !other.disabled) other.focus();
    }
  }

  // --- rank: tap ideas in order, then move them up or down ---

  function renderRank(activity) {
    const statements = state.statements || [];
    const places = Math.min(Number(activity.top_k) || 3, statements.length);
    startBallot(activity, { places: places });
    dropIneligible(statements);
    ballot.ranking = ballot.ranking.slice(0, places);
    const fields = [];
    for (let place = 1; place <= places; place++) fields.push(hidden("rank-" + place, ""));
    const form = voteForm(activity, "rank-form", [
      el("h2", { className: "rank-heading", id: "rank-order-title", text: t.rank_order }),
      el("ol", { className: "rank-order", id: "rank-order", "aria-labelledby": "rank-order-title" }),
      el("p", { className: "hint rank-empty", id: "rank-empty", text: t.rank_empty }),
      el("h2", { className: "rank-heading", id: "rank-pool-title", text: t.rank_pool }),
      el("p", { className: "notice rank-full", id: "rank-full", text: t.rank_full, hidden: true }),
      el("ul", { className: "rank-pool", id: "rank-pool", "aria-labelledby": "rank-pool-title" }),
      statements.length ? null : el("p", { text: t.no_ideas }),
    ].concat(fields, [saveBar(t.save_ranking)]));
    form.addEventListener("click", onRankClick);
    voteCard(activity, el("p", { text: fmt(t.rank_rules, { k: places }) }), form);
    refreshRank();
  }

  function rankTool(action, symbol, label, textId, disabled) {
    return el("button", {
      type: "button", className: "rank-tool " + action, dataset: { action: action },
      "aria-label": label, "aria-describedby": textId, disabled: disabled, text: symbol,
    });
  }

  function refreshRank(focusAfter) {
    const form = document.getElementById("vote-form");
    const order = document.getElementById("rank-order");
    const pool = document.getElementById("rank-pool");
    if (!form || !order || !pool || !ballot) return;
    const paused = isPaused();
    const byId = statementMap();
    ballot.ranking = ballot.ranking.filter(function (id) { return byId.has(String(id)); });
    const ranking = ballot.ranking;
    const full = ranking.length >= ballot.places;

    order.textContent = "";
    ranking.forEach(function (id, i) {
      const textId = "rank-text-" + id;
      order.appendChild(el("li", { className: "rank-item", dataset: { id: String(id) } }, [
        el("span", { className: "rank-place", "aria-hidden": "true", text: String(i + 1) }),
        el("p", { className: "rank-text", id: textId, lang: "th", text: byId.get(String(id)).text }),
        el("div", { className: "rank-tools" }, [
          rankTool("up", "↑", t.move_up, textId, paused || i === 0),
          rankTool("down", "↓", t.move_down, textId, paused || i === ranking.length - 1),
          rankTool("remove", "✕", t.remove, textId, paused),
        ]),
      ]));
    });
    pool.textContent = "";
    (state.statements || []).forEach(function (s) {
      if (ranking.indexOf(s.id) >= 0) return;
      pool.appendChild(el("li", null, [el("button", {
        type: "button", className: "rank-add", lang: "th", dataset: { id: String(s.id), action: "add" },
        disabled: paused || full, text: s.text,
      })]));
    });
    form.querySelectorAll('input[type="hidden"][name^="rank-"]').forEach(function (input) {
      const id = ranking[Number(input.name.slice(5)) - 1];
      input.value = id === undefined ? "" : String(id);
    });
    document.getElementById("rank-empty").hidden = ranking.length > 0;
    document.getElementById("rank-full").hidden = !(full && pool.children.length && ballot.places);
    const budget = document.getElementById("budget");
    if (budget) budget.textContent = fmt(t.rank_chosen, { n: ranking.length, k: ballot.places });

    if (!focusAfter) return;
    const candidates = [];
    if (focusAfter.action === "add") {
      const adds = pool.querySelectorAll("button.rank-add");
      candidates.push(adds[Math.min(focusAfter.poolIndex, adds.length - 1)]);
      candidates.push(order.querySelector(".rank-item:last-child .remove"));
    } else if (focusAfter.action === "remove") {
      candidates.push(pool.querySelector('button[data-id="' + focusAfter.id + '"]'));
    } else {
      const item = order.querySelector('.rank-item[data-id="' + focusAfter.id + '"]');
      if (item) {
        candidates.push(item.querySelector("." + focusAfter.action));
        candidates.push(item.querySelector(focusAfter.action === "up" ? ".down" : ".up"));
      }
    }
    candidates.push(form.querySelector('button[type="submit"]'));
    const target = candidates.find(function (node) { return node && !node.disabled; });
    if (target) target.focus();
  }

  function onRankClick(event) {
    const button = event.target.closest("button[data-action]");
    if (!button || !ballot || ballot.kind !== "rank" || button.disabled) return;
    const action = button.dataset.action;
    const id = Number(button.closest("[data-id]").dataset.id);
    const ranking = ballot.ranking;
    const at = ranking.indexOf(id);
    const text = (statementMap().get(String(id)) || {}).text || "";
    const focusAfter = { action: action, id: id };
    if (action === "add") {
      if (at >= 0 || ranking.length >= ballot.places) return;
      focusAfter.poolIndex = Array.from(document.querySelectorAll("#rank-pool button.rank-add")).indexOf(button);
      ranking.push(id);
      announce(fmt(t.rank_added, { n: ranking.length }) + " " + text);
    } else if (action === "remove") {
      if (at < 0) return;
      ranking.splice(at, 1);
      announce(t.rank_removed + " " + text);
    } else {
      const to = at + (action === "up" ? -1 : 1);
      if (at < 0 || to < 0 || to >= ranking.length) return;
      ranking.splice(at, 1);
      ranking.splice(to, 0, id);
      announce(fmt(t.rank_moved, { n: to + 1 }) + " " + text);
    }
    markDirty();
    refreshRank(focusAfter);
  }

  // --- agree: one statement at a time (or all as a list), each answer sent at once ---

  const ANSWERS = [[1, "agree"], [-1, "disagree"], [0, "pass"]];

  function answerButtons(textId, id) {
    return ANSWERS.map(function (pair) {
      return el("button", {
        type: "submit", className: "answer answer-" + pair[1], name: "agree-" + (id || ""),
        value: String(pair[0]), dataset: { id: String(id || ""), value: String(pair[0]) },
        "aria-pressed": "false", "aria-describedby": textId, text: t[pair[1]],
      });
    });
  }

  function firstOpen(statements) {
    const i = statements.findIndex(function (s) { return !(String(s.id) in ballot.answers); });
    return i < 0 ? statements.length : i;
  }

  function renderAgree(activity) {
    const statements = state.statements || [];
    const fresh = !ballot || ballot.activityId !== activity.id;
    startBallot(activity);
    if (fresh) {
      ballot.view = "one";
      ballot.index = firstOpen(statements);
    }
    ballot.index = Math.min(ballot.index, statements.length);
    const list = el("ol", { className: "ballot agree-list", id: "agree-list", hidden: true });
    statements.forEach(function (s) {
      const textId = "agree-text-" + s.id;
      list.appendChild(el("li", { className: "ballot-item agree-item", dataset: { id: String(s.id) } }, [
        el("p", { className: "ballot-text", id: textId, lang: "th", text: s.text }),
        el("div", { className: "answer-buttons", role: "group", "aria-labelledby": textId },
          answerButtons(textId, s.id)),
      ]));
    });
    const form = voteForm(activity, "agree-form", [
      el("div", { className: "agree-bar" }, [
        el("p", { className: "agree-progress", id: "agree-progress" }, [
          el("span", { id: "agree-position" }),
          el("span", { id: "agree-answered", className: "muted" }),
        ]),
        el("button", { type: "button", className: "button agree-view", id: "agree-view", dataset: { nav: "view" } }),
      ]),
      el("div", { className: "agree-one", id: "agree-one" }, [
        el("p", { className: "agree-text", id: "agree-one-text", lang: "th" }),
        el("div", { className: "answer-buttons big", role: "group", "aria-labelledby": "agree-one-text" },
          answerButtons(null)),
        el("p", { className: "agree-current", id: "agree-current" }),
        el("div", { className: "agree-nav" }, [
          el("button", { type: "button", className: "button", id: "agree-prev", dataset: { nav: "-1" }, text: "← " + t.previous }),
          el("button", { type: "button", className: "button", id: "agree-next", dataset: { nav: "1" }, text: t.next + " →" }),
        ]),
      ]),
      el("div", { className: "agree-done", id: "agree-done", hidden: true }, [
        el("p", { id: "agree-done-text" }),
        el("button", { type: "button", className: "button", id: "agree-again", dataset: { nav: "open" } }),
      ]),
      list,
      statements.length ? null : el("p", { text: t.no_ideas }),
    ]);
    form.addEventListener("click", onAgreeClick);
    voteCard(activity, el("p", { text: t.agree_rules }), form);
    refreshAgree();
  }

  function pressAnswers(box, id) {
    const current = ballot.answers[String(id)];
    box.querySelectorAll("button.answer").forEach(function (button) {
      button.setAttribute("aria-pressed", String(current !== undefined && Number(button.dataset.value) === current));
    });
  }

  function refreshAgree() {
    const form = document.getElementById("vote-form");
    const one = document.getElementById("agree-one");
    if (!form || !one || !ballot) return;
    const paused = isPaused();
    const statements = state.statements || [];
    const n = statements.length;
    const answered = statements.filter(function (s) { return String(s.id) in ballot.answers; }).length;
    const asList = ballot.view === "list";
    const index = ballot.index;
    const done = document.getElementById("agree-done");
    const list = document.getElementById("agree-list");
    one.hidden = asList || index >= n;
    done.hidden = asList || index < n || !n;
    list.hidden = !asList;
    const toggle = document.getElementById("agree-view");
    toggle.textContent = asList ? t.show_one : t.show_list;
    toggle.hidden = !n;
    toggle.disabled = false;
    document.getElementById("agree-position").textContent =
      !asList && index < n ? fmt(t.progress, { n: index + 1, total: n }) : "";
    document.getElementById("agree-answered").textContent = n ? fmt(t.answered, { n: answered }) : "";

    if (index < n) {
      const s = statements[index];
      document.getElementById("agree-one-text").textContent = s.text;
      one.querySelectorAll("button.answer").forEach(function (button) {
        button.name = "agree-" + s.id;
        button.dataset.id = String(s.id);
        button.disabled = paused;
      });
      pressAnswers(one, s.id);
      const current = ballot.answers[String(s.id)];
      const pair = ANSWERS.find(function (p) { return p[0] === current; });
      document.getElementById("agree-current").textContent = pair ? t.your_answer + " " + t[pair[1]] : "";
      document.getElementById("agree-prev").disabled = index === 0;
      document.getElementById("agree-next").disabled = false;
    }
    const doneText = document.getElementById("agree-done-text");
    doneText.textContent = answered >= n ? t.all_answered : fmt(t.some_open, { n: answered, total: n });
    const again = document.getElementById("agree-again");
    again.textContent = t.start_over;
    again.disabled = false;
    list.querySelectorAll(".agree-item").forEach(function (item) {
      pressAnswers(item, item.dataset.id);
      item.classList.toggle("is-answered", item.dataset.id in ballot.answers);
      item.querySelectorAll("button.answer").forEach(function (button) { button.disabled = paused; });
    });
  }

  function showStatement(index) {
    const statements = state.statements || [];
    ballot.index = Math.max(0, Math.min(index, statements.length));
    refreshAgree();
    if (ballot.index < statements.length) {
      announce(fmt(t.progress, { n: ballot.index + 1, total: statements.length }) + ": " +
               statements[ballot.index].text);
    } else {
      announce(document.getElementById("agree-done-text").textContent);
    }
  }

  function answer(id, value) {
    if (!ballot || ballot.kind !== "agree" || !id) return;
    ballot.answers[String(id)] = value;
    queue({
      event: "vote",
      payload: { activity_id: ballot.activityId, client_id: newClientId(), statement_id: Number(id), value: value },
    });
    if (ballot.view === "list") {
      refreshAgree();
      return;
    }
    const statements = state.statements || [];
    let next = ballot.index + 1;
    if (next >= statements.length) next = firstOpen(statements);
    showStatement(next);
  }

  function onAgreeClick(event) {
    const button = event.target.closest("button[data-nav]");
    if (!button || !ballot || ballot.kind !== "agree") return;
    const statements = state.statements || [];
    const nav = button.dataset.nav;
    if (nav === "view") {
      ballot.view = ballot.view === "list" ? "one" : "list";
      if (ballot.view === "one" && ballot.index >= statements.length) ballot.index = firstOpen(statements);
      refreshAgree();
      button.focus();
    } else if (nav === "open") {
      const open = firstOpen(statements);
      showStatement(open < statements.length ? open : 0);
      const first = document.querySelector("#agree-one button.answer");
      if (first) first.focus();
    } else {
      showStatement(ballot.index + Number(nav));
      if (button.disabled || button.closest("[hidden]")) {
        const fallback = document.querySelector("#agree-one button.answer, #agree-again");
        if (fallback) fallback.focus();
      }
    }
  }

  // --- rating: 1–5 per idea, radio buttons shown as pills ---

  function renderRating(activity) {
    const statements = state.statements || [];
    startBallot(activity);
    dropIneligible(statements);
    const list = el("ol", { className: "ballot rating-list", id: "ballot-list" });
    statements.forEach(function (s) {
      const pills = [];
      for (let value = 1; value <= 5; value++) {
        pills.push(el("label", { className: "pill" }, [
          el("input", { type: "radio", name: "rating-" + s.id, value: String(value) }),
          el("span", { text: String(value) }),
        ]));
      }
      list.appendChild(el("li", { className: "ballot-item rating-item", dataset: { id: String(s.id) } }, [
        el("fieldset", { className: "pill-group", "aria-describedby": "scale-hint" }, [
          el("legend", { className: "ballot-text", lang: "th", text: s.text }),
          el("div", { className: "pills rating-pills" }, pills),
        ]),
      ]));
    });
    if (!statements.length) list.appendChild(el("li", { text: t.no_ideas }));
    const form = voteForm(activity, "rating-form", [list, saveBar(t.save_ratings)]);
    form.addEventListener("change", onRatingChange);
    voteCard(activity, [
      el("p", { text: t.rating_rules }),
      el("p", { className: "scale-hint", id: "scale-hint", text: t.scale_hint }),
    ], form);
    refreshRating();
  }

  function refreshRating() {
    const form = document.getElementById("vote-form");
    if (!form || !ballot) return;
    form.querySelectorAll('input[type="radio"][name^="rating-"]').forEach(function (input) {
      input.checked = ballot.ratings[input.name.slice(7)] === Number(input.value);
    });
    const statements = state.statements || [];
    const rated = statements.filter(function (s) { return String(s.id) in ballot.ratings; }).length;
    const budget = document.getElementById("budget");
    if (budget) budget.textContent = statements.length ? fmt(t.rated, { n: rated, total: statements.length }) : "";
  }

  function onRatingChange(event) {
    const input = event.target;
    if (!ballot || ballot.kind !== "rating" || !input.name || input.name.indexOf("rating-") !== 0) return;
    ballot.ratings[input.name.slice(7)] = Number(input.value);
    markDirty();
    refreshRating();
  }

  // --- poll: one option (radio buttons) or several (checkboxes) ---

  function pollOptions(activity) {
    return (state.statements && state.statements.length ? state.statements : activity.options) || [];
  }

  function renderPoll(activity) {
    const options = pollOptions(activity);
    const multiple = !!activity.multiple;
    startBallot(activity);
    dropIneligible(options);
    const box = el("div", { className: "choices", id: "ballot-list" });
    options.forEach(function (option) {
      box.appendChild(el("label", { className: "choice" }, [
        el("input", { type: multiple ? "checkbox" : "radio", name: "choice", value: String(option.id) }),
        el("span", { lang: "th", text: option.text }),
      ]));
    });
    if (!options.length) box.appendChild(el("p", { text: t.no_options }));
    const form = voteForm(activity, "poll-form", [
      el("fieldset", { className: "field" }, [
        el("legend", { text: multiple ? t.choose_many : t.choose_one }),
        box,
      ]),
      saveBar(t.send_answer),
    ]);
    form.addEventListener("change", onPollChange);
    voteCard(activity, null, form);
    refreshPoll();
  }

  function refreshPoll() {
    const form = document.getElementById("vote-form");
    if (!form || !ballot) return;
    form.querySelectorAll('input[name="choice"]').forEach(function (input) {
      input.checked = ballot.choices.indexOf(Number(input.value)) >= 0;
    });
  }

  function onPollChange(event) {
    const form = event.currentTarget;
    if (!ballot || ballot.kind !== "poll" || event.target.name !== "choice") return;
    ballot.choices = Array.from(form.querySelectorAll('input[name="choice"]:checked')).map(function (input) {
      return Number(input.value);
    });
    markDirty();
    refreshPoll();
  }

  // --- results (only sent to phones once the facilitator reveals them) ---

  function levelBadge(level) {
    return el("span", {
      className: "consensus-badge", dataset: { level: level || "insufficient" },
      text: t["level_" + (level || "insufficient")] || level,
    });
  }

  function renderResults() {
    const box = document.getElementById("results");
    if (!box) return;
    const activity = state.current_activity;
    box.textContent = "";
    if (!activity || !activity.results_revealed || !lastTally || lastTally.activity_id !== activity.id) {
      return;
    }
    const kind = lastTally.kind || activity.kind;
    const list = kind === "agree" ? agreeResults(lastTally.items || []) : barResults(kind, lastTally.items || []);
    box.appendChild(el("section", { className: "card results", "aria-labelledby": "results-title" }, [
      el("h2", { id: "results-title", text: t.results }),
      list,
    ]));
  }

  function barResults(kind, tallyItems) {
    const rating = kind === "rating";
    const items = tallyItems.slice().sort(function (a, b) { return b.score - a.score; });
    const top = rating ? 5 : Math.max.apply(null, items.map(function (i) { return i.score; }).concat([1]));
    const list = el("ol", { className: "results-list", dataset: { kind: kind } });
    items.forEach(function (item) {
      const fill = el("span", { className: "bar-fill" });
      fill.style.width = (Math.max(item.score || 0, 0) / top) * 100 + "%";
      const value = rating ? (typeof item.mean === "number" ? item.mean.toFixed(1) : "–") : String(item.score);
      list.appendChild(el("li", { className: "bar-row", dataset: { id: String(item.statement_id) } }, [
        el("span", { className: "bar-label" }, [
          el("span", { lang: "th", text: item.text }),
          rating ? el("span", { className: "bar-note", text: " · " + fmt(t.ratings_n, { n: item.count || 0 }) }) : null,
        ]),
        el("span", { className: "bar", "aria-hidden": "true" }, [fill]),
        el("span", { className: "bar-value", text: value }),
      ]));
    });
    return list;
  }

  function agreeResults(items) {
    // In the tally's order: by consensus level, then by the smallest group agreement.
    const list = el("ol", { className: "results-list agree-results", dataset: { kind: "agree" } });
    items.forEach(function (item) {
      list.appendChild(el("li", { className: "agree-result", dataset: { id: String(item.statement_id) } }, [
        el("p", { className: "agree-result-text", lang: "th", text: item.text }),
        el("p", { className: "agree-result-line" }, [
          levelBadge(item.consensus && item.consensus.level),
          el("span", {
            className: "agree-counts",
            text: fmt(t.agree_counts, { agree: item.agree || 0, passed: item.pass || 0, disagree: item.disagree || 0 }),
          }),
        ]),
      ]));
    });
    return list;
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

  const socket = window.io({
    auth: { workshop: code },
    transports: ["websocket", "polling"],
    tryAllTransports: true,
  });

  render(state);

  socket.on("connect", function () {
    everConnected = true;
    showConnection("");
    flush();
  });

  socket.on("disconnect", function (reason) {
    showConnection(t.offline, "offline");
    if (reason === "io server disconnect") {
      window.setTimeout(function () { socket.connect(); }, 1000);
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

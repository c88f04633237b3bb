/* Attendee phone: live activity, statements and votes over Socket.IO.
 *
 * This file is the core: the room's state, the connection, and what every vote kind
 * shares. Around it (loaded first): page helpers and the countdown in static/js/common/;
 * in static/js/phone/ the outbox of unacknowledged writes (outbox.js, with retry.js's
 * back-off), drafts, the brainstorm, each vote kind and the revealed results (built here
 * with a context, see VOTE_KINDS).
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

  const { readJSON, el, fmt, newClientId, cssEscape } = window.WorkshopDom; // common/dom.js
  const ACK_TIMEOUT = 5000;
  // Resends back off from 1 s to 30 s with jitter (static/js/phone/retry.js).
  const RETRY_BASE = 1000;
  const RETRY_MAX = 30000;
  const backoff = window.WorkshopRetry || {
    socketOptions: {},
    delay: function (attempt, base) { return base * 2; },
  };
  // Each vote kind's ballot field, as the server sends and takes it.
  const FIELDS = { dot_vote: "dots", rank: "ranking", agree: "answers", rating: "ratings", poll: "choices" };
  Object.assign(FIELDS, { matrix: "placements", points: "points", budget: "selection" });
  Object.assign(FIELDS, { wordcloud: "words", qa: "upvotes", map: "pins" }); // static/js/phone/

  const code = root.dataset.code;
  const t = readJSON("i18n") || {};
  const lang = (document.documentElement.lang || "th").slice(0, 2);
  const activityBox = document.getElementById("activity");
  const connectionBox = document.getElementById("connection");
  const announcer = document.getElementById("announce");

  let state = readJSON("initial-state") || {};
  let renderedKey = null;
  let renderedActivityId = null;
  // The current vote as this phone shows it: {activityId, kind, saved, dirty, <field>: ...}
  // where <field> is the kind's ballot field (FIELDS) and saved is what the server has.
  let ballot = null;
  let lastTally = readJSON("initial-results"); // revealed results when the page was served
  let everConnected = false;
  let serverInput = null; // {activityId, entries: [name, value]}: the plain vote form replaced
  let socket = null; // the Socket.IO client, once made (below)
  // Writes not yet acknowledged, sent again until they are (static/js/phone/outbox.js).
  const outbox = window.WorkshopOutbox({
    key: "workshop:outbox:" + code + ":" + (root.dataset.participant || ""),
    socket: function () { return socket; },
    backoff: backoff, ackTimeout: ACK_TIMEOUT, retryBase: RETRY_BASE, retryMax: RETRY_MAX,
    sending: function () { setStatus("sending", t.sending); },
    retrying: function () { setStatus("retry", t.retry); },
    acked: function (entry, ack) { onAcked(entry, ack); },
    refused: function (entry, ack) { onRefused(entry, ack); },
  });
  // Unsent text and unsaved ballots per activity (static/js/phone/drafts.js).
  const drafts = (window.WorkshopDrafts || function () {
    return { get: function () { return null; }, set: function () {}, drop: function () {} };
  })("workshop:drafts:" + code + ":" + (root.dataset.participant || ""));

  // One status line for writes; moved into whichever form is shown.
  const writeStatus = el("p", { id: "write-status", className: "write-status", role: "status" });
  writeStatus.setAttribute("aria-live", "polite");

  // ---------- helpers ----------

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

  // ---------- answers to the outbox's writes ----------

  function queue(entry) {
    outbox.queue(entry);
  }

  function onAcked(entry, ack) {
    if (entry.event === "submit") {
      // The statement itself arrives as a "statement" broadcast (unless it awaits approval).
      brainstorm.removePending(entry.payload.client_id);
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
      brainstorm.removePending(entry.payload.client_id);
      const textarea = document.getElementById("text");
      if (textarea && !textarea.value) textarea.value = entry.payload.text;
    } else if (ballot && entry.payload.activity_id === ballot.activityId) {
      if (ballot.kind === "qa") {
        ballot.upvotes = ballot.saved.slice(); // that upvote was not taken
      } else if (ballot.kind === "agree") {
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
    if (!sameActivity) keepDraft(draft ? renderedActivityId : null, draftText);
    // The first drawing replaces the server's plain form: keep what was typed or ticked in it
    // before this script ran (a slow phone shows the form seconds earlier).
    const firstForm = previous === null && activity ? serverForm(activity) : null;
    serverInput = firstForm && firstForm.id === "vote-form"
      ? { activityId: activity.id, entries: formEntries(firstForm) } : null;
    renderedKey = key;
    renderedActivityId = activity ? activity.id : null;
    brainstorm.reset();
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
      closedStatus();
      activityBox.appendChild(el("div", { className: "card waiting" }, [
        el("h1", { lang: "th", text: promptOf(activity) }),
        el("p", { text: t.closed }),
        writeStatus,
      ]));
      activityBox.appendChild(el("div", { id: "results" }));
    } else if (activity.kind === "brainstorm") {
      brainstorm.render(activity, (sameActivity || firstForm ? draftText : "") ||
        drafts.get("text", activity.id) || "");
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

  // Leaving an activity: a ballot changed but not saved is kept for when it comes back.
  function keepDraft(textActivityId, text) {
    if (textActivityId !== null && textActivityId !== undefined) drafts.set("text", textActivityId, text);
    if (ballot && ballot.dirty && ballot.kind !== "agree") {
      drafts.set("ballot", ballot.activityId, ballot[FIELDS[ballot.kind]]);
    }
  }

  // A closed activity never says "you can change it until the vote closes".
  function closedStatus() {
    const now = writeStatus.dataset.state || "";
    if (now === "ok") setStatus("ok", t.saved_final || "");
    else if (now === "dirty") setStatus("", "");
    // A "saved, you can change it" flash of the plain form's post goes too.
    document.querySelectorAll("#flashes .flash-success").forEach(function (node) { node.remove(); });
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
      brainstorm.refresh();
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

  // --- votes: what every kind shares ---

  // What the ballot was drawn from: redrawn when ideas are hidden, merged or reworded.
  const ballotSignatures = new WeakMap();

  function signature(statements) {
    // (a question's qa_state too: the facilitator marks it current or answered)
    return JSON.stringify((statements || []).map(function (s) { return [s.id, s.text, s.cost, s.qa_state || ""]; }));
  }

  // A private copy of a kind's ballot field: id lists for rank and poll, {id: value} otherwise.
  function copyField(kind, value) {
    if (kind === "rank" || kind === "poll" || kind === "budget") return Array.isArray(value) ? value.map(Number) : [];
    if (kind === "qa") return Array.isArray(value) ? value.map(Number) : [];
    if (kind === "wordcloud" || kind === "map") return Array.isArray(value) ? JSON.parse(JSON.stringify(value)) : [];
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
        } else if (kind === "qa" && entry.payload.statement_id !== undefined) {
          const id = Number(entry.payload.statement_id);
          ballot.upvotes = ballot.upvotes.filter(function (x) { return x !== id; });
          if (entry.payload.value) ballot.upvotes.push(id);
        } else if (field in entry.payload) {
          ballot[field] = copyField(kind, entry.payload[field]);
        }
      });
      adoptServerInput();
      restoreDraft();
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

  // Choices left unsaved when the room moved on: shown again, still not saved.
  function restoreDraft() {
    const kept = drafts.get("ballot", ballot.activityId);
    drafts.drop("ballot", ballot.activityId);
    const field = FIELDS[ballot.kind];
    if (kept === null || ballot.kind === "agree") return;
    if (JSON.stringify(kept) === JSON.stringify(ballot[field])) return;
    ballot[field] = copyField(ballot.kind, kept);
    markDirty();
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
    if (!ballot || !data || data.activity_id !== ballot.activityId || outbox.votePending()) return;
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
    }, formBasics(activity).concat(children, inBar(children) ? [] : [writeStatus]));
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

  // The save button's sticky bar carries the write status, so "saved" shows where the
  // finger is, inside the viewport, however long the ballot.
  function saveBar(label) {
    return el("div", { className: "vote-bar" }, [
      writeStatus,
      el("p", { className: "budget", id: "budget", "aria-live": "polite" }),
      el("button", { type: "submit", className: "button primary", text: label }),
    ]);
  }

  function inBar(children) {
    return children.some(function (child) {
      return child && child.classList && child.classList.contains("vote-bar");
    });
  }

  function onVoteSubmit(event) {
    const form = event.currentTarget;
    if (!everConnected && navigator.onLine !== false) return; // no socket yet: post the form
    event.preventDefault();
    if (!ballot) return;
    if (VOTE_KINDS[ballot.kind] && VOTE_KINDS[ballot.kind].submit) {
      VOTE_KINDS[ballot.kind].submit(event); // a kind that sends from its own buttons (qa)
      return;
    }
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
    drafts.drop("ballot", ballot.activityId);
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
  // The brainstorm's form and its live list of ideas (static/js/phone/brainstorm.js).
  const brainstorm = window.WorkshopBrainstorm({
    get state() { return state; },
    get everConnected() { return everConnected; },
    el: el, t: t, root: root, activityBox: activityBox, drafts: drafts, outbox: outbox,
    writeStatus: writeStatus, formBasics: formBasics, pausedNote: pausedNote, promptOf: promptOf,
    queue: queue, newClientId: newClientId, cssEscape: cssEscape,
  });
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

  const countdown = window.WorkshopCountdown(root, activityBox, t.time_left, el);

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

  socket = window.io(Object.assign({}, backoff.socketOptions, {
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
    outbox.reconnected();
  });

  socket.on("disconnect", function (reason) {
    showConnection(t.offline, "offline");
    if (reason === "io server disconnect") {
      // The server closed this socket on purpose: Socket.IO does not reconnect by itself.
      window.setTimeout(function () { socket.connect(); }, backoff.delay(1, 1000, 10000));
    }
    if (outbox.busy()) setStatus("retry", t.retry);
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
    brainstorm.add(statement);
    const activity = state.current_activity;
    if (statement && activity && activity.kind === "qa" && statement.activity_id === activity.id &&
        !(state.statements || []).some(function (s) { return s.id === statement.id; })) {
      render(Object.assign({}, state, { statements: (state.statements || []).concat([statement]) }));
    }
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

  window.addEventListener("pagehide", function () {
    const draft = document.getElementById("text");
    keepDraft(draft ? renderedActivityId : null, draft ? draft.value : "");
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
      outbox.flush();
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
        outbox.flush();
      }
    });
  });

  // Before the first connection a slow network shows nothing; after 3 s say so.
  window.setTimeout(function () {
    if (!socket.connected) showConnection(t.offline, "offline");
  }, 3000);
})();

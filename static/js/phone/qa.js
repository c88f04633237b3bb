// Workshop phone: Q&A (ask questions, upvote others'; one vote each, tap again to withdraw).
// Loaded before attendee.js, which builds it with its context: the live state, ballot and
// tally (read through getters) and the page helpers. Strings: #i18n-room-kinds.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  function strings() {
    const node = document.getElementById("i18n-room-kinds");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }

  kinds.qa = function (ctx) {
    const { el, t, hidden, voteForm, voteCard, startBallot, queue, newClientId, announce } = ctx;
    const s = strings();
    const room = document.getElementById("room");
    let draft = ""; // the question being typed survives a redraw of the list

    function votesOf(id) {
      const tally = ctx.lastTally;
      const activity = ctx.state.current_activity;
      if (!tally || !activity || tally.activity_id !== activity.id) return null;
      const item = (tally.items || []).find(function (i) { return i.statement_id === id; });
      return item ? item.votes : 0;
    }

    function ordered(questions) {
      const rank = { current: 0, open: 1, answered: 2 };
      return questions.slice().sort(function (a, b) {
        return (rank[a.qa_state || "open"] - rank[b.qa_state || "open"]) || (b.id - a.id);
      });
    }

    function askForm(activity) {
      const textarea = el("textarea", {
        id: "text", name: "text", maxlength: "280", rows: "2", required: true, lang: "th",
        "aria-describedby": "question-hint",
      });
      textarea.value = draft;
      textarea.addEventListener("input", function () { draft = textarea.value; });
      const form = el("form", {
        id: "statement-form", className: "stack ask-form", method: "post", action: room.dataset.submitUrl,
      }, [
        hidden("csrf_token", room.dataset.csrf || ""),
        hidden("activity_id", activity.id),
        hidden("client_id", newClientId()),
        el("div", { className: "field" }, [
          el("label", { for: "text", text: s.your_question }),
          textarea,
          el("p", { className: "hint", id: "question-hint", text: s.question_hint }),
        ]),
        el("button", { type: "submit", className: "button primary", text: s.ask }),
      ]);
      form.addEventListener("submit", function (event) {
        if (!room.dataset.connection || room.dataset.connection !== "online") return; // plain post
        event.preventDefault();
        const text = textarea.value.trim();
        if (!text) { textarea.focus(); return; }
        queue({ event: "submit", payload: { activity_id: activity.id, text: text, client_id: newClientId() } });
        textarea.value = "";
        draft = "";
        announce(s.question_sent);
      });
      return form;
    }

    function renderQa(activity) {
      startBallot(activity);
      const questions = ordered(ctx.state.statements || []);
      const list = el("ol", { className: "qa-list", id: "ballot-list" });
      questions.forEach(function (q) {
        const state = q.qa_state || "open";
        list.appendChild(el("li", { className: "qa-item is-" + state, dataset: { id: String(q.id) } }, [
          el("p", { className: "qa-text", id: "q-" + q.id, lang: "th", text: q.text }),
          state !== "open" ? el("span", { className: "qa-state", text: s["qa_" + state] }) : null,
          el("button", {
            type: "submit", name: "upvote", className: "button upvote", value: q.id + ":1",
            dataset: { id: String(q.id) }, "aria-describedby": "q-" + q.id, "aria-pressed": "false",
          }, [el("span", { className: "upvote-label", text: s.upvote }), el("span", { className: "upvote-count" })]),
        ]));
      });
      if (!questions.length) list.appendChild(el("li", { className: "muted", text: s.no_questions }));
      const form = voteForm(activity, "qa-form", [
        el("h2", { text: s.questions }),
        list,
      ]);
      voteCard(activity, [askForm(activity)], form);
      refreshQa();
    }

    function refreshQa() {
      if (!ctx.ballot) return;
      const mine = new Set((ctx.ballot.upvotes || []).map(Number));
      document.querySelectorAll("#vote-form .upvote").forEach(function (button) {
        const id = Number(button.dataset.id);
        const on = mine.has(id);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.classList.toggle("is-on", on);
        button.value = id + ":" + (on ? 0 : 1);
        button.querySelector(".upvote-label").textContent = on ? s.upvoted : s.upvote;
        const votes = votesOf(id);
        button.querySelector(".upvote-count").textContent = votes === null ? "" : " · " + votes;
      });
    }

    // The vote form was submitted by an upvote button (attendee.js hands it over).
    function submit(event) {
      const button = event.submitter;
      if (!button || !button.dataset.id || !ctx.ballot) return;
      const id = Number(button.dataset.id);
      const on = ctx.ballot.upvotes.indexOf(id) >= 0;
      ctx.ballot.upvotes = on ? ctx.ballot.upvotes.filter(function (x) { return x !== id; })
                              : ctx.ballot.upvotes.concat([id]);
      refreshQa();
      queue({
        event: "vote",
        payload: { activity_id: ctx.ballot.activityId, client_id: newClientId(), statement_id: id, value: on ? 0 : 1 },
      });
      announce(on ? s.upvote_withdrawn : s.upvoted);
    }

    return { render: renderQa, refresh: refreshQa, submit: submit, t: t };
  };
})();

// Workshop phone: agree / disagree / pass.
// Loaded before attendee.js, which builds it with its context: the live state, ballot and
// tally (read through getters) and the page helpers. Each answer is sent at once.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  kinds.agree = function (ctx) {
    const {
      el, t, fmt, voteForm, voteCard, startBallot, announce, isPaused, queue, newClientId,
    } = ctx;

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
      const i = statements.findIndex(function (s) { return !(String(s.id) in ctx.ballot.answers); });
      return i < 0 ? statements.length : i;
    }

    function renderAgree(activity) {
      const statements = ctx.state.statements || [];
      const fresh = !ctx.ballot || ctx.ballot.activityId !== activity.id;
      startBallot(activity);
      if (fresh) {
        ctx.ballot.view = "one";
        ctx.ballot.index = firstOpen(statements);
      }
      ctx.ballot.index = Math.min(ctx.ballot.index, statements.length);
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
      if (activity.opinion_own_dot && window.WorkshopOwnDot) {
        const code = document.getElementById("room").dataset.code;
        form.parentNode.appendChild(window.WorkshopOwnDot(code, activity, ctx));
      }
      refreshAgree();
    }

    function pressAnswers(box, id) {
      const current = ctx.ballot.answers[String(id)];
      box.querySelectorAll("button.answer").forEach(function (button) {
        button.setAttribute("aria-pressed", String(current !== undefined && Number(button.dataset.value) === current));
      });
    }

    function refreshAgree() {
      const form = document.getElementById("vote-form");
      const one = document.getElementById("agree-one");
      if (!form || !one || !ctx.ballot) return;
      const paused = isPaused();
      const statements = ctx.state.statements || [];
      const n = statements.length;
      const answered = statements.filter(function (s) { return String(s.id) in ctx.ballot.answers; }).length;
      const asList = ctx.ballot.view === "list";
      const index = ctx.ballot.index;
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
        const current = ctx.ballot.answers[String(s.id)];
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
        item.classList.toggle("is-answered", item.dataset.id in ctx.ballot.answers);
        item.querySelectorAll("button.answer").forEach(function (button) { button.disabled = paused; });
      });
    }

    function showStatement(index) {
      const statements = ctx.state.statements || [];
      ctx.ballot.index = Math.max(0, Math.min(index, statements.length));
      refreshAgree();
      if (ctx.ballot.index < statements.length) {
        announce(fmt(t.progress, { n: ctx.ballot.index + 1, total: statements.length }) + ": " +
                 statements[ctx.ballot.index].text);
      } else {
        announce(document.getElementById("agree-done-text").textContent);
      }
    }

    function answer(id, value) {
      if (!ctx.ballot || ctx.ballot.kind !== "agree" || !id) return;
      ctx.ballot.answers[String(id)] = value;
      queue({
        event: "vote",
        payload: { activity_id: ctx.ballot.activityId, client_id: newClientId(), statement_id: Number(id), value: value },
      });
      if (ctx.ballot.view === "list") {
        refreshAgree();
        return;
      }
      const statements = ctx.state.statements || [];
      let next = ctx.ballot.index + 1;
      if (next >= statements.length) next = firstOpen(statements);
      showStatement(next);
    }

    function onAgreeClick(event) {
      const button = event.target.closest("button[data-nav]");
      if (!button || !ctx.ballot || ctx.ballot.kind !== "agree") return;
      const statements = ctx.state.statements || [];
      const nav = button.dataset.nav;
      if (nav === "view") {
        ctx.ballot.view = ctx.ballot.view === "list" ? "one" : "list";
        if (ctx.ballot.view === "one" && ctx.ballot.index >= statements.length) ctx.ballot.index = firstOpen(statements);
        refreshAgree();
        button.focus();
      } else if (nav === "open") {
        const open = firstOpen(statements);
        showStatement(open < statements.length ? open : 0);
        const first = document.querySelector("#agree-one button.answer");
        if (first) first.focus();
      } else {
        showStatement(ctx.ballot.index + Number(nav));
        if (button.disabled || button.closest("[hidden]")) {
          const fallback = document.querySelector("#agree-one button.answer, #agree-again");
          if (fallback) fallback.focus();
        }
      }
    }

    return { render: renderAgree, refresh: refreshAgree, answer };
  };
})();

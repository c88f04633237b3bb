// Workshop phone: dot vote (spread N dots, at most M on one idea).
// Loaded before attendee.js, which builds it with its context: the live state, ballot and
// tally (read through getters) and the page helpers.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  kinds.dot_vote = function (ctx) {
    const {
      el, t, hidden, fmt, voteForm, voteCard, startBallot, saveBar, markDirty, dropIneligible,
    } = ctx;

    // --- dot vote ---

    function renderDotVote(activity) {
      const statements = ctx.state.statements || [];
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
            hidden("dots-" + s.id, ctx.ballot.dots[String(s.id)] || 0),
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
      return Object.keys(ctx.ballot.dots).reduce(function (sum, k) { return sum + (ctx.ballot.dots[k] || 0); }, 0);
    }

    function refreshDots() {
      const form = document.getElementById("vote-form");
      if (!form || !ctx.ballot) return;
      const left = ctx.ballot.total - used();
      const paused = form.classList.contains("is-paused");
      form.querySelectorAll(".ballot-item").forEach(function (item) {
        const id = item.dataset.id;
        const n = ctx.ballot.dots[id] || 0;
        item.querySelector(".dot-number").textContent = String(n);
        item.querySelector(".dot-pips").textContent = "●".repeat(n) + "○".repeat(Math.max(ctx.ballot.cap - n, 0));
        item.querySelector(".minus").disabled = paused || n <= 0;
        item.querySelector(".plus").disabled = paused || n >= ctx.ballot.cap || left <= 0;
        item.querySelector('input[type="hidden"]').value = String(n);
        item.classList.toggle("has-dots", n > 0);
      });
      const budget = document.getElementById("budget");
      if (budget) budget.textContent = fmt(t.dots_left, { n: left });
    }

    function onStep(event) {
      const button = event.target.closest("button[data-step]");
      if (!button || !ctx.ballot) return;
      const id = button.closest(".ballot-item").dataset.id;
      const step = Number(button.dataset.step);
      const n = (ctx.ballot.dots[id] || 0) + step;
      if (n < 0 || n > ctx.ballot.cap || (step > 0 && used() >= ctx.ballot.total)) return;
      if (n) ctx.ballot.dots[id] = n;
      else delete ctx.ballot.dots[id];
      markDirty();
      refreshDots();
      if (button.disabled) {
        const other = button.parentNode.querySelector(step > 0 ? ".minus" : ".plus");
        if (other && !other.disabled) other.focus();
      }
    }

    return { render: renderDotVote, refresh: refreshDots };
  };
})();

// Workshop phone: spread exactly P points; shows what is left, sends only when it is 0.
// Loaded before attendee.js, which builds it with its context (see rating.js).
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  const shared = (window.WorkshopPriorities = window.WorkshopPriorities || {});

  function strings() {
    const node = document.getElementById("i18n-priorities");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }

  kinds.points = function (ctx) {
    const { el, fmt, voteForm, voteCard, startBallot, saveBar, markDirty, dropIneligible } = ctx;
    const t = strings();
    let total = 100;

    function render(activity) {
      const statements = ctx.state.statements || [];
      total = activity.points || 100;
      startBallot(activity);
      dropIneligible(statements);
      const list = el("ul", { className: "ballot points-list", id: "ballot-list" });
      statements.forEach(function (s) {
        const id = "points-" + s.id;
        list.appendChild(el("li", { className: "ballot-item points-item", dataset: { id: String(s.id) } }, [
          el("label", { for: id, lang: "th", text: s.text }),
          el("input", {
            type: "number", id: id, name: id, min: "0", max: String(total), step: "1",
            inputmode: "numeric", dataset: { id: String(s.id) },
          }),
        ]));
      });
      if (!statements.length) list.appendChild(el("li", { text: ctx.t.no_ideas }));
      const form = voteForm(activity, "points-form", [list, saveBar(t.save_points)]);
      form.addEventListener("input", onInput);
      voteCard(activity, [el("p", { text: fmt(t.points_rules, { points: total }) })], form);
      refresh();
    }

    function given() {
      const points = ctx.ballot.points;
      return Object.keys(points).reduce(function (sum, id) { return sum + (points[id] || 0); }, 0);
    }

    function refresh() {
      const form = document.getElementById("vote-form");
      if (!form || !ctx.ballot) return;
      form.querySelectorAll("input[data-id]").forEach(function (input) {
        if (document.activeElement === input) return; // do not fight the typing
        const value = ctx.ballot.points[input.dataset.id] || 0;
        input.value = String(value);
      });
      const left = total - given();
      const line = document.getElementById("budget");
      if (line) {
        line.textContent = left >= 0 ? fmt(t.points_left, { n: left }) : fmt(t.points_over, { n: -left });
        line.classList.toggle("is-over", left < 0);
      }
      const button = form.querySelector('button[type="submit"]');
      if (button) button.disabled = left !== 0 || ctx.isPaused();
    }

    function onInput(event) {
      const input = event.target;
      if (!ctx.ballot || ctx.ballot.kind !== "points" || !input.dataset || !input.dataset.id) return;
      const value = Math.max(0, Math.floor(Number(input.value) || 0));
      if (value) ctx.ballot.points[input.dataset.id] = value;
      else delete ctx.ballot.points[input.dataset.id];
      markDirty();
      refresh();
    }

    return { render: render, refresh: refresh };
  };
})();

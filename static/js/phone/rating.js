// Workshop phone: rating 1–5.
// Loaded before attendee.js, which builds it with its context: the live state, ballot and
// tally (read through getters) and the page helpers.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  kinds.rating = function (ctx) {
    const { el, t, fmt, voteForm, voteCard, startBallot, saveBar, markDirty, dropIneligible } = ctx;

    // --- rating: 1–5 per idea, radio buttons shown as pills ---

    function renderRating(activity) {
      const statements = ctx.state.statements || [];
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
      if (!form || !ctx.ballot) return;
      form.querySelectorAll('input[type="radio"][name^="rating-"]').forEach(function (input) {
        input.checked = ctx.ballot.ratings[input.name.slice(7)] === Number(input.value);
      });
      const statements = ctx.state.statements || [];
      const rated = statements.filter(function (s) { return String(s.id) in ctx.ballot.ratings; }).length;
      const budget = document.getElementById("budget");
      if (budget) budget.textContent = statements.length ? fmt(t.rated, { n: rated, total: statements.length }) : "";
    }

    function onRatingChange(event) {
      const input = event.target;
      if (!ctx.ballot || ctx.ballot.kind !== "rating" || !input.name || input.name.indexOf("rating-") !== 0) return;
      ctx.ballot.ratings[input.name.slice(7)] = Number(input.value);
      markDirty();
      refreshRating();
    }

    return { render: renderRating, refresh: refreshRating };
  };
})();

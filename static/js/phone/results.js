// Workshop phone: revealed results (bars, or agree counts with the consensus level).
// Loaded before attendee.js, which builds it with its context: the live state, ballot and
// tally (read through getters) and the page helpers.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  kinds.results = function (ctx) {
    const { el, t, fmt } = ctx;

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
      const activity = ctx.state.current_activity;
      box.textContent = "";
      if (!activity || !activity.results_revealed || !ctx.lastTally || ctx.lastTally.activity_id !== activity.id) {
        return;
      }
      const kind = ctx.lastTally.kind || activity.kind;
      const custom = (window.WorkshopPriorities || {}).results; // matrix, points, budget
      const list = kind === "agree" ? agreeResults(ctx.lastTally.items || [])
        : (custom && custom(kind, ctx.lastTally.items || [], el, fmt)) || barResults(kind, ctx.lastTally.items || []);
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

    return { render: renderResults };
  };
})();

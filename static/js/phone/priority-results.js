// Workshop phone: revealed results of matrix (quadrant and both means), points (total and
// mean) and budget (votes, cost, funded). Called by results.js; other kinds get null.
(function () {
  "use strict";
  const shared = (window.WorkshopPriorities = window.WorkshopPriorities || {});

  function strings() {
    const node = document.getElementById("i18n-priorities");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }

  function one(n) { return typeof n === "number" ? n.toFixed(1) : "–"; }

  shared.results = function (kind, items, el, fmt) {
    if (kind !== "matrix" && kind !== "points" && kind !== "budget") return null;
    const t = strings();
    const list = el("ol", { className: "results-list priority-results", dataset: { kind: kind } });
    items.forEach(function (item) {
      let note;
      if (kind === "matrix") {
        note = (t["q_" + item.quadrant] || "–") + " · " + one(item.x_mean) + " / " + one(item.y_mean);
      } else if (kind === "points") {
        note = fmt(t.points_result, { points: item.points || 0, mean: one(item.mean_points) });
      } else {
        note = fmt(t.votes_result, { votes: item.votes || 0 }) +
          (typeof item.cost === "number" ? " · " + fmt(t.cost, { cost: item.cost.toLocaleString() }) : "") +
          (item.funded ? " · " + t.funded : "");
      }
      list.appendChild(el("li", { className: "priority-result" + (item.funded ? " is-funded" : ""), dataset: { id: String(item.statement_id) } }, [
        el("span", { lang: "th", text: item.text }),
        el("span", { className: "bar-note", text: " · " + note }),
      ]));
    });
    return list;
  };
})();

/* Projector: budget votes per project in order, each project's cost, and the funded line
 * after the last one funded (CONSUL's rule, computed by the server: item.funded).
 * The same list as templates/presenter/_budget.html. Also the points note.
 * Loaded before presenter.js, which calls chart(), note() and draw(). */
(function () {
  "use strict";
  const projector = (window.WorkshopProjector = window.WorkshopProjector || {});
  const MAX_BARS = 15;

  function strings() {
    const node = document.getElementById("i18n-priorities");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }
  const t = strings();

  function html(tag, props, children) {
    const node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === "text") node.textContent = props[k];
      else if (k === "className") node.className = props[k];
      else node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function baht(n) {
    return Number(n || 0).toLocaleString(document.documentElement.lang === "en" ? "en-US" : "th-TH");
  }

  projector.budget = {
    note: function () {
      return html("p", { className: "chart-note", id: "funded-note" });
    },
    chart: function () {
      return html("ol", { className: "chart chart-budget", id: "chart" });
    },
    draw: function (chart, tally) {
      const items = (tally.items || []).slice(0, MAX_BARS);
      const note = document.getElementById("funded-note");
      if (note) note.textContent = fmt(t.funded_note, { spent: baht(tally.funded_cost), budget: baht(tally.budget) });
      let last = 0;
      items.forEach(function (item, index) { if (item.funded) last = index + 1; });
      const top = Math.max.apply(null, items.map(function (i) { return i.votes || 0; }).concat([1]));
      chart.textContent = "";
      items.forEach(function (item, index) {
        const fill = html("span", { className: "bar-fill" });
        fill.style.width = ((item.votes || 0) / top) * 100 + "%";
        const cost = typeof item.cost === "number" ? fmt(t.cost, { cost: baht(item.cost) }) : "";
        chart.appendChild(html("li", { className: "bar-row" + (item.funded ? " is-funded" : ""), "data-id": String(item.statement_id) }, [
          html("span", { className: "bar-label", lang: "th", text: item.text }),
          html("span", { className: "bar", "aria-hidden": "true" }, [fill]),
          html("span", { className: "bar-value", text: String(item.votes || 0) }),
          html("span", { className: "bar-note", text: cost + (item.funded ? " · " + t.funded : "") }),
        ]));
        if (index + 1 === last) {
          chart.appendChild(html("li", { className: "funded-line", "aria-hidden": "true" }, [
            html("span", { text: t.funded_line }),
          ]));
        }
      });
    },
  };

  projector.points = {
    note: function (activity) {
      return html("p", { className: "chart-note", text: fmt(t.points_note, { points: activity.points || 100 }) });
    },
  };
})();

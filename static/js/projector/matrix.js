/* Projector: the impact × feasibility matrix, live. The statements' means on both axes,
 * the spread as a cross, the four quadrants named; a switch shows one stakeholder group.
 * The same picture as templates/presenter/_matrix.html (geometry: workshop/priorities/chart.py).
 * Loaded before presenter.js, which calls chart(), note() and draw(). */
(function () {
  "use strict";
  const projector = (window.WorkshopProjector = window.WorkshopProjector || {});
  const W = 1000, H = 640, L = 70, R = 20, T = 20, B = 60, LOW = 1, HIGH = 5, MID = 3;
  const NS = "http://www.w3.org/2000/svg";
  const MAX_LEGEND = 12;
  let group = ""; // "" = everyone
  let lastTally = null;

  function strings() {
    const node = document.getElementById("i18n-priorities");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }
  const t = strings();

  function sx(v) { return L + (v - LOW) / (HIGH - LOW) * (W - L - R); }
  function sy(v) { return T + (HIGH - v) / (HIGH - LOW) * (H - T - B); }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

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

  function axisNames(activity) {
    const en = (document.documentElement.lang || "th").slice(0, 2) === "en";
    return {
      x: (en && activity.x_label_en) || activity.x_label || "ผลกระทบ",
      y: (en && activity.y_label_en) || activity.y_label || "ความเป็นไปได้",
    };
  }

  function quadrant(x, y) {
    if (x === null || x === undefined || y === null || y === undefined) return "";
    if (x >= MID) return y >= MID ? "quick_wins" : "major_projects";
    return y >= MID ? "fill_ins" : "thankless";
  }

  function frame(names) {
    const root = svg("svg", { class: "matrix-svg", viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": (t.scatter || "").replace("{x}", names.x).replace("{y}", names.y) });
    const mx = sx(MID), my = sy(MID), right = W - R, bottom = H - B;
    [["fill_ins", L, T, mx - L, my - T], ["quick_wins", mx, T, right - mx, my - T],
     ["thankless", L, my, mx - L, bottom - my], ["major_projects", mx, my, right - mx, bottom - my]]
      .forEach(function (q) {
        root.appendChild(svg("rect", { class: "quadrant q-" + q[0], x: q[1], y: q[2], width: q[3], height: q[4] }));
        root.appendChild(svg("text", { class: "quadrant-name", x: q[1] + q[3] / 2, y: q[2] + 34, "text-anchor": "middle" },
          t["q_" + q[0]] || q[0]));
      });
    for (let v = LOW; v <= HIGH; v++) {
      root.appendChild(svg("text", { class: "tick", x: sx(v), y: bottom + 26, "text-anchor": "middle" }, String(v)));
      root.appendChild(svg("text", { class: "tick", x: L - 14, y: sy(v) + 8, "text-anchor": "end" }, String(v)));
    }
    root.appendChild(svg("text", { class: "axis-name", x: (L + right) / 2, y: H - 6, "text-anchor": "middle" }, names.x + " →"));
    const cy = (T + bottom) / 2;
    root.appendChild(svg("text", { class: "axis-name", x: 18, y: cy, "text-anchor": "middle",
      transform: "rotate(-90 18 " + cy + ")" }, names.y + " →"));
    root.appendChild(svg("g", { class: "matrix-points" }));
    return root;
  }

  projector.matrix = {
    note: function () {
      return html("p", { className: "chart-note", text: t.matrix_note });
    },
    chart: function (activity) {
      group = "";
      return html("div", { className: "matrix-chart", id: "chart", "data-kind": "matrix" }, [
        html("div", { className: "group-switch", role: "group", "aria-label": t.group_switch || "" }),
        frame(axisNames(activity)),
        html("ol", { className: "matrix-legend" }),
      ]);
    },
    draw: function (chart, tally, ctx) {
      lastTally = tally;
      drawSwitch(chart, tally, ctx);
      const layer = chart.querySelector(".matrix-points");
      const legend = chart.querySelector(".matrix-legend");
      layer.textContent = "";
      legend.textContent = "";
      (tally.items || []).forEach(function (item, index) {
        const n = index + 1;
        const means = group ? (item.by_group || {})[group] || {} : item;
        const x = means.x_mean, y = means.y_mean;
        const where = quadrant(x, y);
        if (index < MAX_LEGEND) {
          const note = (t["q_" + where] || "–") + (typeof x === "number" ? " · " + x.toFixed(1) + " / " + y.toFixed(1) : "");
          legend.appendChild(html("li", { "data-id": String(item.statement_id), "data-quadrant": where }, [
            html("span", { lang: "th", text: item.text }), html("span", { className: "bar-note", text: note }),
          ]));
        }
        if (typeof x !== "number" || typeof y !== "number") return;
        const cx = sx(x), cy = sy(y);
        const point = svg("g", { class: "matrix-point", "data-id": item.statement_id });
        if (!group) {
          const dx = item.x_spread || 0, dy = item.y_spread || 0;
          point.appendChild(svg("line", { class: "spread", x1: sx(Math.max(LOW, x - dx)), y1: cy, x2: sx(Math.min(HIGH, x + dx)), y2: cy }));
          point.appendChild(svg("line", { class: "spread", x1: cx, y1: sy(Math.max(LOW, y - dy)), x2: cx, y2: sy(Math.min(HIGH, y + dy)) }));
        }
        point.appendChild(svg("circle", { cx: cx, cy: cy, r: 20 }));
        point.appendChild(svg("text", { x: cx, y: cy + 8, "text-anchor": "middle" }, String(n)));
        layer.appendChild(point);
      });
    },
  };

  // One button per stakeholder group that placed something, and "everyone".
  function drawSwitch(chart, tally, ctx) {
    const box = chart.querySelector(".group-switch");
    const groups = [];
    (tally.items || []).forEach(function (item) {
      Object.keys(item.by_group || {}).forEach(function (g) {
        if (groups.indexOf(g) < 0 && (item.by_group[g].count || 0) > 0) groups.push(g);
      });
    });
    if (group && groups.indexOf(group) < 0) group = "";
    box.textContent = "";
    [""].concat(groups).forEach(function (g) {
      const button = html("button", { type: "button", className: "button group-button", "aria-pressed": String(g === group),
        text: g ? ctx.groupLabel(g) : t.everyone });
      button.addEventListener("click", function () {
        group = g;
        projector.matrix.draw(chart, lastTally, ctx);
      });
      box.appendChild(button);
    });
  }
})();

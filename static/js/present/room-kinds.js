/* Projector: the live word cloud (the server's SVG), the Q&A queue (by votes, the current
 * question highlighted) and the map's pins (dots by category, a density view once the map
 * is crowded). Loaded before presenter.js, which calls window.WorkshopPresent[kind](chart,
 * tally, helpers) for each tally. Participant text only ever goes in with textContent; the
 * word cloud SVG is built by the server with every word escaped and is parsed as XML.
 */
(function () {
  "use strict";
  const kinds = (window.WorkshopPresent = window.WorkshopPresent || {});
  const DENSITY_FROM = 300; // pins: from here on the map shows where pins gather
  const MAX_QUESTIONS = 10;

  function strings() {
    const node = document.getElementById("i18n-room-kinds");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }
  const s = strings();

  kinds.wordcloud = function (chart, tally, h) {
    chart.textContent = "";
    const box = h.el("div", { className: "wordcloud-box", id: "wordcloud" });
    if (tally.svg) {
      const doc = new DOMParser().parseFromString(tally.svg, "image/svg+xml");
      const svg = doc.documentElement;
      if (svg && svg.nodeName === "svg") box.appendChild(document.importNode(svg, true));
    }
    if (!(tally.items || []).length) box.appendChild(h.el("p", { className: "results-hidden", text: s.no_words }));
    chart.appendChild(box);
    const used = new Set((tally.items || []).slice(0, 60).map(function (i) { return i.top_group; }));
    const legend = h.el("ul", { className: "wordcloud-legend", "aria-label": s.colour_legend });
    (tally.legend || []).forEach(function (entry) {
      if (!used.has(entry.group)) return;
      const swatch = h.el("span", { className: "swatch", "aria-hidden": "true" });
      swatch.style.setProperty("--swatch", entry.colour);
      legend.appendChild(h.el("li", null, [swatch, h.el("span", { text: h.groupLabel(entry.group) })]));
    });
    chart.appendChild(legend);
  };

  kinds.qa = function (chart, tally, h) {
    chart.textContent = "";
    const items = (tally.items || []).slice(0, MAX_QUESTIONS);
    const list = h.el("ol", { className: "qa-queue", id: "qa-queue" });
    items.forEach(function (item) {
      const state = item.qa_state || "open";
      const badge = state === "open" ? null : h.el("span", { className: "qa-badge", text: s["qa_" + state] });
      list.appendChild(h.el("li", { className: "is-" + state, dataset: { id: String(item.statement_id) } }, [
        h.el("span", { className: "qa-votes", text: h.fmt(s.votes_n, { n: item.votes || 0 }) }),
        h.el("span", { className: "qa-question" }, [badge, h.el("span", { lang: "th", text: item.text })]),
      ]));
    });
    if (!items.length) list.appendChild(h.el("li", { text: s.no_questions }));
    chart.appendChild(list);
    const more = (tally.items || []).length - items.length;
    if (more > 0) chart.appendChild(h.el("p", { className: "chart-more", text: h.fmt(h.t.more, { n: more }) }));
  };

  kinds.map = function (chart, tally, h) {
    const categories = tally.categories || [];
    let stage = document.getElementById("map-stage");
    const image = tally.image;
    if (!image) {
      chart.textContent = "";
      chart.appendChild(h.el("p", { className: "results-hidden", text: s.no_map }));
      return;
    }
    if (!stage || stage.dataset.src !== image.url) {
      chart.textContent = "";
      stage = h.el("div", { className: "map-stage", id: "map-stage", dataset: { src: image.url } }, [
        h.el("img", { src: image.url, alt: s.map_label, width: String(image.width), height: String(image.height) }),
        h.el("div", { className: "map-overlay", id: "map-overlay" }),
      ]);
      chart.appendChild(h.el("div", { className: "map-wrap" }, [stage]));
      chart.appendChild(h.el("ul", { className: "map-legend", id: "map-legend" }));
    }
    const overlay = document.getElementById("map-overlay");
    overlay.textContent = "";
    const total = tally.by_category ? Object.values(tally.by_category).reduce(function (a, b) { return a + b; }, 0) : 0;
    if (total >= DENSITY_FROM && tally.density) {
      const d = tally.density;
      const top = Math.max.apply(null, d.cells.map(function (c) { return c[2]; }).concat([1]));
      d.cells.forEach(function (c) {
        const cell = h.el("span", { className: "cell" });
        cell.style.left = (c[0] / d.columns) * 100 + "%";
        cell.style.top = (c[1] / d.rows) * 100 + "%";
        cell.style.width = 100 / d.columns + "%";
        cell.style.height = 100 / d.rows + "%";
        cell.style.setProperty("--heat", String(0.15 + 0.7 * (c[2] / top)));
        overlay.appendChild(cell);
      });
    } else {
      (tally.pins || []).forEach(function (pin) {
        const index = categories.indexOf(pin.category);
        const dot = h.el("span", { className: "dot cat-" + (index % 8) });
        dot.style.left = pin.x * 100 + "%";
        dot.style.top = pin.y * 100 + "%";
        overlay.appendChild(dot);
      });
    }
    const legend = document.getElementById("map-legend");
    legend.textContent = "";
    categories.forEach(function (c, i) {
      legend.appendChild(h.el("li", { className: "cat-" + (i % 8) }, [
        h.el("span", { className: "swatch", "aria-hidden": "true" }),
        h.el("span", { lang: "th", text: (i + 1) + " · " + c + ": " + ((tally.by_category || {})[c] || 0) }),
      ]));
    });
  };
})();

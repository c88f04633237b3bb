/* Opinion map of an agree activity: anonymous dots coloured by opinion group (SVG) and one
 * card per group with its representative statements, what unites the room (bridging) and
 * the areas of uncertainty. Used by the projector (live, from the `opinions` event) and the
 * facilitator's results page (from the page's JSON). Dots carry no name and no id.
 * Statement text is only ever inserted with textContent.
 */
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const LETTERS = "ABCDE";
  const MAX_REPRESENTATIVE = 3;
  const MAX_LISTED = 3;

  const t = (function () {
    const node = document.getElementById("i18n-opinions");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (e) {
      return {};
    }
  })();

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      const value = props[key];
      if (value === null || value === undefined) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, String(value));
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function pct(share) {
    return Math.round((share || 0) * 100);
  }

  function letter(id) {
    return LETTERS.charAt(id) || String(id + 1);
  }

  /* A map drawn into `container` (strings: the page's #i18n-opinions); `texts(id)` gives a
   * statement's text and `groupLabel(key)` a stakeholder group's name. */
  function create(container, texts, groupLabel) {
    const section = el("section", { className: "opinion-map", id: "opinion-map", "aria-labelledby": "opinion-map-title" });
    container.appendChild(section);

    function drawDots(svg, points) {
      const extent = points.reduce(function (m, p) {
        return Math.max(m, Math.abs(p.x), Math.abs(p.y));
      }, 0) || 1;
      svg.textContent = "";
      const r = points.length > 400 ? 1.6 : 3;
      const stacked = new Map(); // people who voted alike share a place: spread them around it
      points.forEach(function (p) {
        const x = p.x / extent * 85;
        const y = -p.y / extent * 85;
        const key = x.toFixed(1) + "," + y.toFixed(1);
        const i = stacked.get(key) || 0;
        stacked.set(key, i + 1);
        const dot = document.createElementNS(SVG, "circle");
        dot.setAttribute("cx", (x + Math.cos(i * 2.4) * Math.sqrt(i) * r * 1.8).toFixed(1));
        dot.setAttribute("cy", (y + Math.sin(i * 2.4) * Math.sqrt(i) * r * 1.8).toFixed(1));
        dot.setAttribute("r", String(r));
        dot.setAttribute("class", p.group === null ? "dot dot-none" : "dot dot-g" + p.group);
        svg.appendChild(dot);
      });
    }

    function statementLine(id, note) {
      return el("li", {}, [
        el("span", { className: "om-statement", lang: "th", text: texts(id) || "#" + id }),
        note ? el("span", { className: "om-note", text: note }) : null,
      ]);
    }

    function card(group) {
      const makeup = Object.keys(group.by_stakeholder_group || {}).map(function (key) {
        return (groupLabel(key) || key) + " " + group.by_stakeholder_group[key];
      }).join(" · ");
      const lines = (group.representative || []).slice(0, MAX_REPRESENTATIVE).map(function (r) {
        const template = r.direction === "agree" ? t.om_agrees : t.om_disagrees;
        return statementLine(r.statement_id, fmt(template, {
          share: pct(r.direction === "agree" ? r.agree_share : 1 - r.agree_share),
          rest: pct(r.direction === "agree" ? r.rest_agree_share : 1 - r.rest_agree_share),
        }));
      });
      return el("li", { className: "om-card om-g" + group.id, "data-group": group.id }, [
        el("h3", {}, [
          el("span", { className: "om-swatch", "aria-hidden": "true" }),
          el("span", { text: fmt(t.om_group, { letter: letter(group.id) }) }),
          el("span", { className: "om-size", text: fmt(t.om_people, { n: group.size }) }),
        ]),
        el("p", { className: "om-makeup", text: makeup }),
        lines.length ? el("ul", { className: "om-list" }, lines)
          : el("p", { className: "om-note", text: t.om_no_representative }),
      ]);
    }

    function update(payload) {
      section.textContent = "";
      if (!payload) return;
      section.appendChild(el("h2", { id: "opinion-map-title", text: t.om_title }));
      const groups = payload.groups || [];
      if (!groups.length) {
        section.appendChild(el("p", { className: "om-waiting", text: t.om_waiting }));
        return;
      }
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("viewBox", "-100 -100 200 200");
      svg.setAttribute("class", "om-dots");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", fmt(t.om_dots, { n: payload.participants_in_map, k: groups.length }));
      drawDots(svg, payload.points || []);
      const bridging = (payload.bridging || []).slice(0, MAX_LISTED).map(function (b) {
        return statementLine(b.statement_id, fmt(t.om_consensus, { share: pct(b.consensus) }));
      });
      const uncertain = (payload.uncertain || []).slice(0, MAX_LISTED).map(function (id) {
        return statementLine(id, null);
      });
      section.appendChild(el("div", { className: "om-body" }, [
        el("div", { className: "om-plot" }, [svg]),
        el("ol", { className: "om-cards" }, groups.map(card)),
      ]));
      section.appendChild(el("div", { className: "om-summary" }, [
        el("div", {}, [el("h3", { text: t.om_bridging }), el("ul", { className: "om-list" }, bridging)]),
        uncertain.length ? el("div", {}, [el("h3", { text: t.om_uncertain }), el("ul", { className: "om-list" }, uncertain)]) : null,
      ]));
    }

    return { node: section, update: update };
  }

  /* The projector's opinion-map screen (/present/<CODE>?view=opinions): while an agree
   * activity is current, its map replaces the chart, kept across re-renders of the stage.
   * `ctx.state()` is the live state; `ctx.shown(activity)` whether results are on the
   * projector. The usual screen (no ?view) is left as it is. */
  function attach(socket, ctx) {
    if (new URLSearchParams(window.location.search).get("view") !== "opinions") return;
    let last = null;
    let map = null;

    function texts(id) {
      const s = (ctx.state().statements || []).find(function (x) { return x.id === id; });
      return s ? s.text : "";
    }

    function show() {
      const activity = ctx.state().current_activity;
      const fits = last && activity && activity.kind === "agree" && ctx.shown(activity) &&
        last.activity_id === activity.id;
      ctx.stage.classList.toggle("is-opinion-view", !!fits);
      if (!fits) {
        if (map) map.node.remove();
        map = null;
        return;
      }
      if (!map || !map.node.isConnected) map = create(ctx.stage, texts, ctx.groupLabel);
      map.update(last);
    }

    socket.on("opinions", function (payload) { last = payload; show(); });
    socket.on("state", show);
  }

  window.WorkshopOpinionMap = { create: create, attach: attach };
})();

/* Projector screen: live wall of statements, live results of every vote kind (bars for dot
 * votes, rankings, ratings and polls; stacked bars per stakeholder group and a consensus
 * badge for agree votes, then the opinion map: opinion-map.js), live participant counts.
 * The join panel (QR, code, URL) is rendered by the server and never touched here.
 * Participant text is only ever inserted with textContent.
 */
(function () {
  "use strict";

  const root = document.getElementById("present");
  if (!root) return;

  const MAX_CARDS = 120;
  // Drawn in full: static/js/present/pager.js cuts what does not fit into pages.
  const MAX_BARS = 200;
  const MAX_AGREE = 200;

  const code = root.dataset.code;
  const stage = document.getElementById("stage");
  const { readJSON, el, fmt } = window.WorkshopDom; // common/dom.js
  const t = readJSON("i18n") || {};
  const initial = readJSON("initial-state") || {};
  const lang = (document.documentElement.lang || "th").slice(0, 2);

  const CUSTOM = window.WorkshopPresent || {}; // kind -> draw(chart, tally, helpers)
  let state = initial.state || {};
  let tally = initial.tally || null;
  let renderedKey = null;
  let shownIds = new Set();
  const shownText = new Map();

  function promptOf(activity) {
    const translations = activity.prompt_translations || {};
    return translations[lang] || activity.prompt || activity.display_prompt || "";
  }

  // ---------- stage ----------

  function render(newState) {
    state = newState || state;
    const activity = state.current_activity;
    const key = activity
      ? [activity.id, activity.kind, activity.state, !!activity.locked, resultsShown(activity)].join(":")
      : "none";
    countdown.set(activity);
    if (key === renderedKey) {
      if (activity && activity.kind === "brainstorm") syncWall();
      return;
    }
    renderedKey = key;
    shownIds = new Set();
    stage.textContent = "";
    stage.classList.toggle("is-closed", !!activity && activity.state !== "open");
    if (!activity) {
      stage.appendChild(el("h1", { className: "scan-title", text: t.scan }));
      return;
    }
    stage.appendChild(el("h1", { id: "prompt", lang: "th", text: promptOf(activity) }));
    stage.appendChild(countdown.node);
    if (activity.state !== "open") {
      stage.appendChild(el("p", { className: "state-note", text: t.closed }));
    } else if (activity.locked) {
      stage.appendChild(el("p", { className: "state-note", text: t.paused }));
    }
    if (activity.kind === "brainstorm") {
      stage.appendChild(el("ul", { className: "wall", id: "wall" }));
      syncWall();
    } else if (!resultsShown(activity)) {
      stage.appendChild(el("p", { className: "results-hidden", text: t.results_hidden }));
    } else if (CUSTOM[activity.kind]) {
      // Word cloud, Q&A queue, map: drawn by static/js/present/room-kinds.js.
      stage.appendChild(el("div", { className: "chart-head" }, [
        el("p", { className: "ballot-count", id: "ballot-count" }),
      ]));
      stage.appendChild(el("div", { className: "chart chart-" + activity.kind, id: "chart" }));
      drawTally();
    } else {
      // The ballot count, with the legend (agree) or how to read the numbers on the same line.
      let note = null;
      const custom = (window.WorkshopProjector || {})[activity.kind]; // static/js/projector/
      if (custom && custom.note) note = custom.note(activity);
      else if (activity.kind === "agree") note = agreeLegend();
      else if (activity.kind === "rank") note = el("p", { className: "chart-note", text: fmt(t.rank_points, { k: activity.top_k || 3 }) });
      else if (activity.kind === "rating") note = el("p", { className: "chart-note", text: t.rating_scale });
      stage.appendChild(el("div", { className: "chart-head" }, [
        el("p", { className: "ballot-count", id: "ballot-count" }),
        note,
      ]));
      if (custom && custom.chart) {
        stage.appendChild(custom.chart(activity));
      } else if (activity.kind === "agree") {
        stage.appendChild(el("ol", { className: "chart agree-chart", id: "chart" }));
        stage.appendChild(el("p", { className: "chart-more", id: "chart-more", hidden: "" }));
      } else {
        stage.appendChild(el("ol", { className: "chart chart-" + activity.kind, id: "chart" }));
      }
      drawTally();
    }
  }

  function resultsShown(activity) {
    return activity.projector_results !== false;
  }

  function syncWall() {
    const wall = document.getElementById("wall");
    if (!wall) return;
    const statements = state.statements || [];
    const ids = new Set(statements.map(function (s) { return s.id; }));
    const pinned = statements.filter(function (s) { return s.pinned; }).map(function (s) { return s.id; });
    const shownPinned = Array.from(wall.querySelectorAll(".is-pinned")).map(function (n) {
      return Number(n.dataset.id);
    });
    if (Array.from(shownIds).some(function (id) { return !ids.has(id); }) ||
        pinned.slice().sort().join() !== shownPinned.sort().join() ||
        statements.some(function (s) { return shownText.get(s.id) !== undefined && shownText.get(s.id) !== s.text; })) {
      wall.textContent = ""; // hidden, pinned, merged or edited by the facilitator: rebuild
      shownIds = new Set();
    }
    statements.forEach(addCard);
  }

  function addCard(statement) {
    const activity = state.current_activity;
    if (!activity || activity.kind !== "brainstorm" || statement.activity_id !== activity.id) return;
    if (shownIds.has(statement.id)) return;
    const wall = document.getElementById("wall");
    if (!wall) return;
    shownIds.add(statement.id);
    shownText.set(statement.id, statement.text);
    const card = el("li", { lang: "th", "data-id": statement.id, text: statement.text });
    if (statement.pinned) card.className = "is-pinned";
    // Pinned cards first, then newest first.
    let before = wall.firstElementChild;
    while (before && (before.classList.contains("is-pinned") && !statement.pinned ||
           (before.classList.contains("is-pinned") === !!statement.pinned &&
            Number(before.dataset.id) > statement.id))) {
      before = before.nextElementSibling;
    }
    wall.insertBefore(card, before);
    while (wall.children.length > MAX_CARDS) wall.removeChild(wall.lastElementChild);
  }

  function drawTally() {
    const chart = document.getElementById("chart");
    const activity = state.current_activity;
    if (!chart || !activity || !tally || tally.activity_id !== activity.id) return;
    const count = document.getElementById("ballot-count");
    if (count) count.textContent = fmt(t.ballots, { n: tally.ballots || 0 });
    const custom = (window.WorkshopProjector || {})[activity.kind];
    if (custom && custom.draw) custom.draw(chart, tally, { groupLabel: groupLabel });
    else if (CUSTOM[activity.kind]) CUSTOM[activity.kind](chart, tally, { el: el, t: t, fmt: fmt, groupLabel: groupLabel });
    else if (activity.kind === "agree") drawAgree(chart);
    else drawBars(chart, activity.kind);
  }

  // Dot votes, rankings (Borda points), polls (people) and ratings (the mean, on 1–5).
  function drawBars(chart, kind) {
    const rating = kind === "rating";
    const items = (tally.items || []).slice().sort(function (a, b) {
      return (b.score - a.score) || (a.rank - b.rank) || (a.statement_id - b.statement_id);
    }).slice(0, MAX_BARS);
    const top = rating ? 5 : Math.max.apply(null, items.map(function (i) { return i.score; }).concat([0])) || 1;
    const existing = new Map();
    Array.from(chart.children).forEach(function (row) { existing.set(row.dataset.id, row); });
    const keep = new Set();
    items.forEach(function (item) {
      const id = String(item.statement_id);
      keep.add(id);
      let row = existing.get(id);
      if (!row) {
        row = el("li", { className: "bar-row", "data-id": id }, [
          el("span", { className: "bar-label", lang: "th" }),
          el("span", { className: "bar", "aria-hidden": "true" }, [el("span", { className: "bar-fill" })]),
          el("span", { className: "bar-value" }),
          rating ? el("span", { className: "bar-note" }) : null,
        ]);
      }
      row.querySelector(".bar-label").textContent = item.text;
      row.querySelector(".bar-fill").style.width = (Math.max(item.score || 0, 0) / top) * 100 + "%";
      if (rating) {
        row.querySelector(".bar-value").textContent = typeof item.mean === "number" ? item.mean.toFixed(1) : "–";
        row.querySelector(".bar-note").textContent = fmt(t.ratings_n, { n: item.count || 0 });
      } else {
        row.querySelector(".bar-value").textContent = String(item.score);
      }
      const best = items.length ? items[0].score : 0;
      row.classList.toggle("is-top", item.score > 0 && item.score === best);
      // Per-group numbers (on a switch) and a poll's shares: static/js/present/breakdown.js.
      if (window.WorkshopBreakdown) window.WorkshopBreakdown.row(row, item, tally, { el: el, groupLabel: groupLabel });
      chart.appendChild(row); // moves it into sorted order
    });
    existing.forEach(function (row, id) { if (!keep.has(id)) row.remove(); });
  }

  // ---------- agree: one stacked bar per stakeholder group, a badge for the consensus ----------

  const SEGMENTS = ["agree", "pass", "disagree"];

  function agreeLegend() {
    return el("ul", { className: "agree-legend", id: "agree-legend", "aria-label": t.legend },
      SEGMENTS.map(function (part) {
        return el("li", { className: "legend-" + part }, [
          el("span", { className: "swatch seg-" + part, "aria-hidden": "true" }),
          el("span", { text: t[part] }),
        ]);
      }));
  }

  // Labels in this page's language: broadcast states carry them in the language of whoever
  // caused the broadcast, so the ones rendered with the page come first.
  const pageGroupLabels = (initial.state && initial.state.workshop && initial.state.workshop.group_labels) || {};

  function groupLabel(group) {
    const labels = (state.workshop && state.workshop.group_labels) || {};
    return pageGroupLabels[group] || labels[group] || group;
  }

  function answerCount(counts) {
    return counts ? (counts.agree || 0) + (counts.pass || 0) + (counts.disagree || 0) : 0;
  }

  // The groups, in the workshop's order, that answered any statement: the same rows under each.
  function answeringGroups(items) {
    const order = ((state.workshop && state.workshop.groups) || []).slice();
    items.forEach(function (item) {
      Object.keys(item.by_group || {}).forEach(function (g) { if (order.indexOf(g) < 0) order.push(g); });
    });
    return order.filter(function (g) {
      return items.some(function (item) { return answerCount(item.by_group && item.by_group[g]) > 0; });
    });
  }

  function drawAgree(chart) {
    // In the tally's order: by consensus level, then by the smallest group agreement.
    const all = tally.items || [];
    const items = all.slice(0, MAX_AGREE);
    const groups = answeringGroups(all);
    const existing = new Map();
    Array.from(chart.children).forEach(function (row) { existing.set(row.dataset.id, row); });
    const keep = new Set();
    items.forEach(function (item) {
      const id = String(item.statement_id);
      keep.add(id);
      let row = existing.get(id);
      if (!row) {
        row = el("li", { className: "agree-row", "data-id": id }, [
          el("div", { className: "agree-head" }, [
            el("span", { className: "consensus-badge" }),
            el("span", { className: "agree-statement", lang: "th" }),
          ]),
          el("ul", { className: "group-bars" }),
        ]);
      }
      const level = (item.consensus && item.consensus.level) || "insufficient";
      const badge = row.querySelector(".consensus-badge");
      badge.dataset.level = level;
      badge.textContent = t["level_" + level] || level;
      row.querySelector(".agree-statement").textContent = item.text;
      drawGroups(row.querySelector(".group-bars"), item, groups);
      chart.appendChild(row); // moves it into the tally's order
    });
    existing.forEach(function (row, id) { if (!keep.has(id)) row.remove(); });
    // Many statements times many groups: two columns, smaller type, rather than cut off.
    chart.classList.toggle("is-dense", items.length * Math.max(groups.length, 1) > 12);
    const more = document.getElementById("chart-more");
    if (more) {
      more.hidden = all.length <= items.length;
      more.textContent = fmt(t.more, { n: all.length - items.length });
    }
  }

  function drawGroups(list, item, groups) {
    const rows = new Map();
    Array.from(list.children).forEach(function (row) { rows.set(row.dataset.group, row); });
    groups.forEach(function (group) {
      let row = rows.get(group);
      if (!row) {
        row = el("li", { className: "group-bar", "data-group": group }, [
          el("span", { className: "group-name" }),
          el("span", { className: "stack-bar", role: "img" }, SEGMENTS.map(function (part) {
            return el("span", { className: "seg seg-" + part });
          })),
          el("span", { className: "group-n" }),
        ]);
      }
      rows.delete(group);
      const counts = (item.by_group && item.by_group[group]) || {};
      const total = answerCount(counts);
      const spoken = [];
      row.querySelector(".group-name").textContent = groupLabel(group);
      SEGMENTS.forEach(function (part) {
        const n = counts[part] || 0;
        const share = total ? Math.round((n / total) * 100) : 0;
        const seg = row.querySelector(".seg-" + part);
        seg.style.width = (total ? (n / total) * 100 : 0) + "%";
        seg.classList.toggle("is-empty", !n);
        seg.textContent = n ? share + "%" : "";
        spoken.push(t[part] + " " + n + " (" + share + "%)");
      });
      row.querySelector(".stack-bar").setAttribute("aria-label", groupLabel(group) + ": " + spoken.join(", "));
      row.querySelector(".group-n").textContent = fmt(t.answers_n, { n: total });
      list.appendChild(row);
    });
    rows.forEach(function (row) { row.remove(); });
  }

  // ---------- countdown (set by the facilitator) ----------

  const countdown = window.WorkshopCountdown(null, null, t.time_left, el); // common/countdown.js

  // ---------- presence ----------

  function showPresence(presence) {
    if (!presence) return;
    const total = document.getElementById("presence-total");
    if (total) total.textContent = String(presence.total || 0);
    const byGroup = presence.by_group || {};
    document.querySelectorAll(".join-panel [data-group]").forEach(function (node) {
      const count = node.querySelector("[data-count]");
      if (count) count.textContent = String(byGroup[node.dataset.group] || 0);
    });
  }

  render(state);
  showPresence(initial.presence);

  if (typeof window.io !== "function") return;

  const socket = window.io({
    auth: { workshop: code, role: "presenter" },
    transports: ["websocket", "polling"],
    tryAllTransports: true,
  });
  const status = document.getElementById("connection");

  socket.on("connect", function () {
    if (status) status.hidden = true;
  });
  socket.on("disconnect", function () {
    if (status) status.hidden = false;
  });
  socket.on("state", function (payload) {
    render(payload);
    drawTally();
  });
  socket.on("statement", addCard);
  socket.on("statements", function (payload) {
    const activity = state.current_activity;
    if (payload && activity && payload.activity_id === activity.id) {
      render(Object.assign({}, state, { statements: payload.statements || [] }));
    }
  });
  socket.on("tally", function (payload) {
    tally = payload;
    drawTally();
  });
  socket.on("presence", showPresence);
  if (window.WorkshopOpinionMap) window.WorkshopOpinionMap.attach(socket, {
    stage: stage, groupLabel: groupLabel, shown: resultsShown, state: function () { return state; } });
})();

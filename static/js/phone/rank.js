// Workshop phone: ranking (the top K ideas in order).
// Loaded before attendee.js, which builds it with its context: the live state, ballot and
// tally (read through getters) and the page helpers.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  kinds.rank = function (ctx) {
    const {
      el, t, hidden, fmt, voteForm, voteCard, startBallot, announce, saveBar, markDirty,
      dropIneligible, isPaused,
    } = ctx;

    function statementMap() {
      const map = new Map();
      (ctx.state.statements || []).forEach(function (s) { map.set(String(s.id), s); });
      return map;
    }
    // --- rank: tap ideas in order, then move them up or down ---

    function renderRank(activity) {
      const statements = ctx.state.statements || [];
      const places = Math.min(Number(activity.top_k) || 3, statements.length);
      startBallot(activity, { places: places });
      dropIneligible(statements);
      ctx.ballot.ranking = ctx.ballot.ranking.slice(0, places);
      const fields = [];
      for (let place = 1; place <= places; place++) fields.push(hidden("rank-" + place, ""));
      const form = voteForm(activity, "rank-form", [
        el("h2", { className: "rank-heading", id: "rank-order-title", text: t.rank_order }),
        el("ol", { className: "rank-order", id: "rank-order", "aria-labelledby": "rank-order-title" }),
        el("p", { className: "hint rank-empty", id: "rank-empty", text: t.rank_empty }),
        el("h2", { className: "rank-heading", id: "rank-pool-title", text: t.rank_pool }),
        el("p", { className: "notice rank-full", id: "rank-full", text: t.rank_full, hidden: true }),
        el("ul", { className: "rank-pool", id: "rank-pool", "aria-labelledby": "rank-pool-title" }),
        statements.length ? null : el("p", { text: t.no_ideas }),
      ].concat(fields, [saveBar(t.save_ranking)]));
      form.addEventListener("click", onRankClick);
      voteCard(activity, el("p", { text: fmt(t.rank_rules, { k: places }) }), form);
      refreshRank();
    }

    function rankTool(action, symbol, label, textId, disabled) {
      return el("button", {
        type: "button", className: "rank-tool " + action, dataset: { action: action },
        "aria-label": label, "aria-describedby": textId, disabled: disabled, text: symbol,
      });
    }

    function refreshRank(focusAfter) {
      const form = document.getElementById("vote-form");
      const order = document.getElementById("rank-order");
      const pool = document.getElementById("rank-pool");
      if (!form || !order || !pool || !ctx.ballot) return;
      const paused = isPaused();
      const byId = statementMap();
      ctx.ballot.ranking = ctx.ballot.ranking.filter(function (id) { return byId.has(String(id)); });
      const ranking = ctx.ballot.ranking;
      const full = ranking.length >= ctx.ballot.places;

      order.textContent = "";
      ranking.forEach(function (id, i) {
        const textId = "rank-text-" + id;
        order.appendChild(el("li", { className: "rank-item", dataset: { id: String(id) } }, [
          el("span", { className: "rank-place", "aria-hidden": "true", text: String(i + 1) }),
          el("p", { className: "rank-text", id: textId, lang: "th", text: byId.get(String(id)).text }),
          el("div", { className: "rank-tools" }, [
            rankTool("up", "↑", t.move_up, textId, paused || i === 0),
            rankTool("down", "↓", t.move_down, textId, paused || i === ranking.length - 1),
            rankTool("remove", "✕", t.remove, textId, paused),
          ]),
        ]));
      });
      pool.textContent = "";
      (ctx.state.statements || []).forEach(function (s) {
        if (ranking.indexOf(s.id) >= 0) return;
        pool.appendChild(el("li", null, [el("button", {
          type: "button", className: "rank-add", lang: "th", dataset: { id: String(s.id), action: "add" },
          disabled: paused || full, text: s.text,
        })]));
      });
      form.querySelectorAll('input[type="hidden"][name^="rank-"]').forEach(function (input) {
        const id = ranking[Number(input.name.slice(5)) - 1];
        input.value = id === undefined ? "" : String(id);
      });
      document.getElementById("rank-empty").hidden = ranking.length > 0;
      document.getElementById("rank-full").hidden = !(full && pool.children.length && ctx.ballot.places);
      const budget = document.getElementById("budget");
      if (budget) budget.textContent = fmt(t.rank_chosen, { n: ranking.length, k: ctx.ballot.places });

      if (!focusAfter) return;
      const candidates = [];
      if (focusAfter.action === "add") {
        const adds = pool.querySelectorAll("button.rank-add");
        candidates.push(adds[Math.min(focusAfter.poolIndex, adds.length - 1)]);
        candidates.push(order.querySelector(".rank-item:last-child .remove"));
      } else if (focusAfter.action === "remove") {
        candidates.push(pool.querySelector('button[data-id="' + focusAfter.id + '"]'));
      } else {
        const item = order.querySelector('.rank-item[data-id="' + focusAfter.id + '"]');
        if (item) {
          candidates.push(item.querySelector("." + focusAfter.action));
          candidates.push(item.querySelector(focusAfter.action === "up" ? ".down" : ".up"));
        }
      }
      candidates.push(form.querySelector('button[type="submit"]'));
      const target = candidates.find(function (node) { return node && !node.disabled; });
      if (target) target.focus();
    }

    function onRankClick(event) {
      const button = event.target.closest("button[data-action]");
      if (!button || !ctx.ballot || ctx.ballot.kind !== "rank" || button.disabled) return;
      const action = button.dataset.action;
      const id = Number(button.closest("[data-id]").dataset.id);
      const ranking = ctx.ballot.ranking;
      const at = ranking.indexOf(id);
      const text = (statementMap().get(String(id)) || {}).text || "";
      const focusAfter = { action: action, id: id };
      if (action === "add") {
        if (at >= 0 || ranking.length >= ctx.ballot.places) return;
        focusAfter.poolIndex = Array.from(document.querySelectorAll("#rank-pool button.rank-add")).indexOf(button);
        ranking.push(id);
        announce(fmt(t.rank_added, { n: ranking.length }) + " " + text);
      } else if (action === "remove") {
        if (at < 0) return;
        ranking.splice(at, 1);
        announce(t.rank_removed + " " + text);
      } else {
        const to = at + (action === "up" ? -1 : 1);
        if (at < 0 || to < 0 || to >= ranking.length) return;
        ranking.splice(at, 1);
        ranking.splice(to, 0, id);
        announce(fmt(t.rank_moved, { n: to + 1 }) + " " + text);
      }
      markDirty();
      refreshRank(focusAfter);
    }

    return { render: renderRank, refresh: refreshRank };
  };
})();

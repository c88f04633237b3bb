// Workshop phone: pick projects within the budget; shows what is left and disables the
// projects that no longer fit (or have no cost yet).
// Loaded before attendee.js, which builds it with its context (see rating.js).
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  const shared = (window.WorkshopPriorities = window.WorkshopPriorities || {});

  function strings() {
    const node = document.getElementById("i18n-priorities");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }

  function baht(n) {
    return Number(n || 0).toLocaleString(document.documentElement.lang === "en" ? "en-US" : "th-TH");
  }
  shared.baht = baht;

  kinds.budget = function (ctx) {
    const { el, fmt, voteForm, voteCard, startBallot, saveBar, markDirty, dropIneligible } = ctx;
    const t = strings();
    let limit = 0;

    function costs() {
      const out = {};
      (ctx.state.statements || []).forEach(function (s) { out[s.id] = typeof s.cost === "number" ? s.cost : null; });
      return out;
    }

    function render(activity) {
      const statements = ctx.state.statements || [];
      limit = activity.budget || 0;
      startBallot(activity);
      dropIneligible(statements);
      const list = el("ul", { className: "ballot budget-list", id: "ballot-list" });
      statements.forEach(function (s) {
        const priced = typeof s.cost === "number";
        list.appendChild(el("li", { className: "ballot-item budget-item", dataset: { id: String(s.id) } }, [
          el("label", { className: "choice" }, [
            el("input", { type: "checkbox", name: "select", value: String(s.id), dataset: { id: String(s.id) } }),
            el("span", { lang: "th", text: s.text }),
            el("span", { className: "cost", text: priced ? fmt(t.cost, { cost: baht(s.cost) }) : t.no_cost }),
          ]),
        ]));
      });
      if (!statements.length) list.appendChild(el("li", { text: ctx.t.no_ideas }));
      const form = voteForm(activity, "budget-form", [list, saveBar(t.save_choice)]);
      form.addEventListener("change", onChange);
      voteCard(activity, [el("p", { text: fmt(t.budget_rules, { budget: baht(limit) }) })], form);
      refresh();
    }

    function refresh() {
      const form = document.getElementById("vote-form");
      if (!form || !ctx.ballot) return;
      const price = costs();
      const chosen = new Set(ctx.ballot.selection.map(String));
      const spent = ctx.ballot.selection.reduce(function (sum, id) { return sum + (price[id] || 0); }, 0);
      const left = limit - spent;
      form.querySelectorAll('input[type="checkbox"][data-id]').forEach(function (input) {
        const id = input.dataset.id;
        input.checked = chosen.has(id);
        const fits = price[id] !== null && price[id] !== undefined && price[id] <= left;
        input.disabled = !chosen.has(id) && !fits;
        input.closest("li").classList.toggle("is-unaffordable", input.disabled);
      });
      const line = document.getElementById("budget");
      if (line) line.textContent = fmt(t.budget_left, { n: baht(left), total: baht(limit) });
    }

    function onChange(event) {
      const input = event.target;
      if (!ctx.ballot || ctx.ballot.kind !== "budget" || !input.dataset || !input.dataset.id) return;
      const id = Number(input.dataset.id);
      const rest = ctx.ballot.selection.filter(function (n) { return n !== id; });
      ctx.ballot.selection = input.checked ? rest.concat([id]).sort(function (a, b) { return a - b; }) : rest;
      markDirty();
      refresh();
    }

    return { render: render, refresh: refresh };
  };
})();

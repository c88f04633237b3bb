// Workshop phone: impact × feasibility matrix, two 1–5 scales per idea.
// Loaded before attendee.js, which builds it with its context (see rating.js).
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  const shared = (window.WorkshopPriorities = window.WorkshopPriorities || {});

  function strings() {
    const node = document.getElementById("i18n-priorities");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }

  // The axis names in the page's language (the facilitator's labels).
  shared.axisNames = function (activity) {
    const en = (document.documentElement.lang || "th").slice(0, 2) === "en";
    return {
      x: (en && activity.x_label_en) || activity.x_label || "ผลกระทบ",
      y: (en && activity.y_label_en) || activity.y_label || "ความเป็นไปได้",
    };
  };

  kinds.matrix = function (ctx) {
    const { el, fmt, voteForm, voteCard, startBallot, saveBar, markDirty, dropIneligible } = ctx;
    const t = strings();
    let half = {}; // id -> {x} or {y}: one scale chosen, not yet on the ballot

    function pills(id, axis, name) {
      const group = [];
      for (let value = 1; value <= 5; value++) {
        group.push(el("label", { className: "pill" }, [
          el("input", { type: "radio", name: axis + "-" + id, value: String(value), dataset: { axis: axis, id: String(id) } }),
          el("span", { text: String(value) }),
        ]));
      }
      return el("fieldset", { className: "pill-group matrix-axis", "aria-describedby": "matrix-hint" }, [
        el("legend", { className: "axis-name", text: name }),
        el("div", { className: "pills rating-pills" }, group),
      ]);
    }

    function render(activity) {
      const statements = ctx.state.statements || [];
      const names = shared.axisNames(activity);
      startBallot(activity);
      dropIneligible(statements);
      half = {};
      const list = el("ol", { className: "ballot matrix-list", id: "ballot-list" });
      statements.forEach(function (s) {
        list.appendChild(el("li", { className: "ballot-item matrix-item", dataset: { id: String(s.id) } }, [
          el("p", { className: "ballot-text", lang: "th", text: s.text }),
          pills(s.id, "x", names.x),
          pills(s.id, "y", names.y),
        ]));
      });
      if (!statements.length) list.appendChild(el("li", { text: ctx.t.no_ideas }));
      const form = voteForm(activity, "matrix-form", [list, saveBar(t.save_scores)]);
      form.addEventListener("change", onChange);
      voteCard(activity, [
        el("p", { text: fmt(t.matrix_rules, { x: names.x, y: names.y }) }),
        el("p", { className: "scale-hint", id: "matrix-hint", text: t.matrix_hint }),
      ], form);
      refresh();
    }

    function refresh() {
      const form = document.getElementById("vote-form");
      if (!form || !ctx.ballot) return;
      const placements = ctx.ballot.placements;
      form.querySelectorAll('input[type="radio"][data-axis]').forEach(function (input) {
        const id = input.dataset.id;
        const chosen = placements[id] || half[id] || {};
        input.checked = chosen[input.dataset.axis] === Number(input.value);
      });
      const statements = ctx.state.statements || [];
      const placed = statements.filter(function (s) { return String(s.id) in placements; }).length;
      const waiting = Object.keys(half).length;
      const line = document.getElementById("budget");
      if (line) {
        line.textContent = statements.length ? fmt(t.placed, { n: placed, total: statements.length }) +
          (waiting ? " · " + t.both_scales : "") : "";
      }
    }

    function onChange(event) {
      const input = event.target;
      if (!ctx.ballot || ctx.ballot.kind !== "matrix" || !input.dataset || !input.dataset.axis) return;
      const id = input.dataset.id;
      const next = Object.assign({}, ctx.ballot.placements[id] || half[id] || {});
      next[input.dataset.axis] = Number(input.value);
      if (next.x && next.y) {
        ctx.ballot.placements[id] = { x: next.x, y: next.y }; // a new object: never shared with saved
        delete half[id];
      } else {
        half[id] = next;
      }
      markDirty();
      refresh();
    }

    return { render: render, refresh: refresh };
  };
})();

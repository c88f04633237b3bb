// Workshop phone: the brainstorm, its form and the live list of everyone's ideas.
// Loaded before attendee.js, which builds it with its context (the live state read through
// a getter, the outbox, the drafts and the page helpers). An idea sent offline shows at
// the top as pending until the server has it; the list is rebuilt when the facilitator
// hides, merges or rewords an idea.
(function () {
  "use strict";

  const MAX_LISTED = 300;

  window.WorkshopBrainstorm = function (ctx) {
    const { el, t, root, activityBox, drafts, outbox, writeStatus, formBasics, pausedNote } = ctx;
    const { promptOf, queue, newClientId, cssEscape } = ctx;
    let shownIds = new Set();
    const shownText = new Map();

    function renderBrainstorm(activity, draftText) {
      const textarea = el("textarea", {
        id: "text", name: "text", maxlength: "280", rows: "3", required: true, lang: "th",
        "aria-describedby": "text-hint",
      });
      textarea.value = draftText || "";
      textarea.addEventListener("input", function () {
        drafts.set("text", activity.id, textarea.value);
      });
      const form = el("form", {
        id: "statement-form", className: "stack", method: "post", action: root.dataset.submitUrl,
      }, formBasics(activity).concat([
        el("div", { className: "field" }, [
          el("label", { for: "text", text: t.your_idea }),
          textarea,
          el("p", { className: "hint", id: "text-hint", text: t.idea_hint }),
        ]),
        el("button", { type: "submit", className: "button primary", text: t.send }),
        writeStatus,
      ]));
      form.addEventListener("submit", onStatementSubmit);
      activityBox.appendChild(el("div", { className: "card" }, [
        el("h1", { lang: "th", text: promptOf(activity) }),
        pausedNote(activity, form),
        form,
      ]));
      activityBox.appendChild(el("h2", null, [
        (t.ideas_so_far || "") + " (",
        el("span", { id: "statement-count", text: "0" }),
        ")",
      ]));
      activityBox.appendChild(el("ul", { className: "statements", id: "statements" }));
      (ctx.state.statements || []).forEach(addStatement);
      outbox.forEach(function (entry) {
        if (entry.event === "submit" && entry.payload.activity_id === activity.id) {
          showPending(entry);
        }
      });
    }

    function isCurrentBrainstorm(activityId) {
      const a = ctx.state.current_activity;
      return a && a.kind === "brainstorm" && a.state === "open" && a.id === activityId;
    }

    function addStatement(statement) {
      if (!statement || !isCurrentBrainstorm(statement.activity_id)) return;
      if (shownIds.has(statement.id)) return;
      const list = document.getElementById("statements");
      if (!list) return;
      shownIds.add(statement.id);
      shownText.set(statement.id, statement.text);
      const item = el("li", { lang: "th", dataset: { id: String(statement.id) }, text: statement.text });
      // Newest first: put it before the first older statement (pending ones stay on top).
      let before = list.firstElementChild;
      while (before && (before.classList.contains("pending") || Number(before.dataset.id) > statement.id)) {
        before = before.nextElementSibling;
      }
      list.insertBefore(item, before);
      while (list.children.length > MAX_LISTED) list.removeChild(list.lastElementChild);
      const count = document.getElementById("statement-count");
      if (count) count.textContent = String(shownIds.size);
    }

    function showPending(entry) {
      const list = document.getElementById("statements");
      if (!list || list.querySelector('[data-client-id="' + cssEscape(entry.payload.client_id) + '"]')) return;
      list.insertBefore(el("li", {
        lang: "th", className: "pending", dataset: { clientId: entry.payload.client_id },
        text: entry.payload.text,
      }), list.firstElementChild);
    }

    function removePending(clientId) {
      const node = document.querySelector('#statements [data-client-id="' + cssEscape(clientId) + '"]');
      if (node) node.remove();
    }

    function onStatementSubmit(event) {
      const form = event.currentTarget;
      if (!ctx.everConnected && navigator.onLine !== false) return; // no socket yet: post the form
      event.preventDefault();
      const textarea = form.querySelector("textarea");
      const text = textarea.value.trim();
      if (!text) {
        textarea.focus();
        return;
      }
      const entry = {
        event: "submit",
        payload: {
          activity_id: Number(form.elements.activity_id.value),
          text: text,
          client_id: newClientId(),
        },
      };
      textarea.value = "";
      drafts.drop("text", entry.payload.activity_id);
      form.elements.client_id.value = newClientId();
      showPending(entry);
      queue(entry);
    }

    // A new state: drop what the facilitator hid, merged or reworded, then add the new ones.
    function refresh() {
      const statements = ctx.state.statements || [];
      const ids = new Set(statements.map(function (s) { return s.id; }));
      const list = document.getElementById("statements");
      const edited = statements.some(function (s) {
        return shownText.has(s.id) && shownText.get(s.id) !== s.text;
      });
      if (list && (edited || Array.from(shownIds).some(function (id) { return !ids.has(id); }))) {
        Array.from(list.querySelectorAll("li[data-id]")).forEach(function (li) { li.remove(); });
        shownIds = new Set();
      }
      statements.forEach(addStatement);
    }

    return {
      render: renderBrainstorm,
      refresh: refresh,
      add: addStatement,
      removePending: removePending,
      reset: function () { shownIds = new Set(); },
    };
  };
})();

// Workshop phone: poll (one or several options).
// Loaded before attendee.js, which builds it with its context: the live state, ballot and
// tally (read through getters) and the page helpers.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  kinds.poll = function (ctx) {
    const { el, t, voteForm, voteCard, startBallot, saveBar, markDirty, dropIneligible } = ctx;

    // --- poll: one option (radio buttons) or several (checkboxes) ---

    function pollOptions(activity) {
      return (ctx.state.statements && ctx.state.statements.length ? ctx.state.statements : activity.options) || [];
    }

    function renderPoll(activity) {
      const options = pollOptions(activity);
      const multiple = !!activity.multiple;
      startBallot(activity);
      dropIneligible(options);
      const box = el("div", { className: "choices", id: "ballot-list" });
      options.forEach(function (option) {
        box.appendChild(el("label", { className: "choice" }, [
          el("input", { type: multiple ? "checkbox" : "radio", name: "choice", value: String(option.id) }),
          el("span", { lang: "th", text: option.text }),
        ]));
      });
      if (!options.length) box.appendChild(el("p", { text: t.no_options }));
      const form = voteForm(activity, "poll-form", [
        el("fieldset", { className: "field" }, [
          el("legend", { text: multiple ? t.choose_many : t.choose_one }),
          box,
        ]),
        saveBar(t.send_answer),
      ]);
      form.addEventListener("change", onPollChange);
      voteCard(activity, null, form);
      refreshPoll();
    }

    function refreshPoll() {
      const form = document.getElementById("vote-form");
      if (!form || !ctx.ballot) return;
      form.querySelectorAll('input[name="choice"]').forEach(function (input) {
        input.checked = ctx.ballot.choices.indexOf(Number(input.value)) >= 0;
      });
    }

    function onPollChange(event) {
      const form = event.currentTarget;
      if (!ctx.ballot || ctx.ballot.kind !== "poll" || event.target.name !== "choice") return;
      ctx.ballot.choices = Array.from(form.querySelectorAll('input[name="choice"]:checked')).map(function (input) {
        return Number(input.value);
      });
      markDirty();
      refreshPoll();
    }

    return { render: renderPoll, refresh: refreshPoll };
  };
})();

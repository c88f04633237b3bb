// Workshop phone: word cloud (up to N short answers, 1–40 characters each).
// Loaded before attendee.js, which builds it with its context: the live state, ballot and
// tally (read through getters) and the page helpers. Strings: #i18n-room-kinds.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  function strings() {
    const node = document.getElementById("i18n-room-kinds");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }

  kinds.wordcloud = function (ctx) {
    const { el, fmt, voteForm, voteCard, startBallot, saveBar, markDirty } = ctx;
    const s = strings();

    function renderCloud(activity) {
      const max = Number(activity.max_words) || 3;
      startBallot(activity);
      const fields = [];
      for (let i = 1; i <= max; i++) {
        const input = el("input", {
          type: "text", id: "word-" + i, name: "word-" + i, maxlength: "40", lang: "th",
          autocomplete: "off", className: "word-input", "aria-describedby": "word-hint",
        });
        fields.push(el("div", { className: "field" }, [
          el("label", { for: "word-" + i, text: fmt(s.answer_n, { n: i }) }),
          input,
        ]));
      }
      const form = voteForm(activity, "wordcloud-form stack", fields.concat([
        el("p", { className: "hint", id: "word-hint", text: s.word_hint }),
        saveBar(s.send_words),
      ]));
      form.addEventListener("input", onInput);
      voteCard(activity, [el("p", { text: fmt(s.wordcloud_rules, { n: max }) })], form);
      refreshCloud();
    }

    function inputs() {
      return Array.from(document.querySelectorAll("#vote-form .word-input"));
    }

    function refreshCloud() {
      if (!ctx.ballot || ctx.ballot.dirty) return;
      const words = ctx.ballot.words || [];
      inputs().forEach(function (input, i) {
        if (document.activeElement !== input) input.value = words[i] || "";
      });
      const left = document.getElementById("budget");
      if (left) left.textContent = words.length ? fmt(s.words_saved_n, { n: words.length }) : "";
    }

    function onInput() {
      if (!ctx.ballot || ctx.ballot.kind !== "wordcloud") return;
      ctx.ballot.words = inputs().map(function (i) { return i.value.trim(); }).filter(Boolean);
      markDirty();
    }

    return { render: renderCloud, refresh: refreshCloud };
  };
})();

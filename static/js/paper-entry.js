// Paper ballot entry desk: keyboard only, one screen per ballot (workshop/channels/views.py).
(function () {
  "use strict";
  const root = document.getElementById("paper-entry");
  if (!root) return;
  const t = JSON.parse(document.getElementById("entry-i18n").textContent);
  const keyed = JSON.parse(document.getElementById("entry-keyed").textContent); // newest first
  const kind = root.dataset.kind;
  const form = document.getElementById("entry-form");
  const code = document.getElementById("ballot-code");
  const group = document.getElementById("group-number");
  const marks = Array.from(form.querySelectorAll("input.mark"));
  const groups = Array.from(document.querySelectorAll("#group-list li")).map(function (li) {
    return li.dataset.group;
  });
  const status = document.getElementById("entry-status");
  const count = document.getElementById("keyed-count");
  const last = document.getElementById("last-code");
  const fields = [code, group].concat(marks);

  function say(text, kindOf) { status.textContent = text; status.dataset.state = kindOf || ""; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }
  function showCount() {
    count.textContent = String(keyed.length);
    last.textContent = keyed.length ? keyed[0] : "–";
  }

  function kindField() {
    const filled = marks.filter(function (m) { return m.value.trim() !== ""; });
    const pairs = filled.map(function (m) { return [m.dataset.statement, m.value.trim()]; });
    if (kind === "dot_vote") {
      return { dots: Object.fromEntries(pairs.map(function (p) { return [p[0], Number(p[1])]; })) };
    }
    if (kind === "rank") {
      pairs.sort(function (a, b) { return Number(a[1]) - Number(b[1]); });
      return { ranking: pairs.map(function (p) { return Number(p[0]); }) };
    }
    if (kind === "agree") {
      const value = { "1": 1, "2": -1, "3": 0 };
      return { answers: Object.fromEntries(pairs.map(function (p) {
        return [p[0], p[1] in value ? value[p[1]] : p[1]];
      })) };
    }
    if (kind === "rating") {
      return { ratings: Object.fromEntries(pairs.map(function (p) { return [p[0], Number(p[1])]; })) };
    }
    return { choices: pairs.map(function (p) { return Number(p[0]); }) };
  }

  function send(method, url, body) {
    return fetch(url, {
      method: method,
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      credentials: "same-origin",
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function reset() {
    fields.forEach(function (f) { f.value = ""; });
    code.focus();
  }

  function save() {
    if (!code.value.trim()) { say(t.need_code, "error"); code.focus(); return; }
    const index = Number(group.value.trim()) - 1;
    if (!(index >= 0 && index < groups.length)) { say(t.bad_group, "error"); group.focus(); return; }
    const body = Object.assign(
      { activity_id: Number(root.dataset.activity), ballot_code: code.value.trim(), group: groups[index] },
      kindField()
    );
    send("POST", root.dataset.url, body).then(function (answer) {
      if (answer.status === 201) {
        keyed.unshift(answer.data.ballot_code);
        showCount();
        say(fill(t.saved, { code: answer.data.ballot_code }), "ok");
        reset();
      } else {
        const error = (answer.data && answer.data.error) || {};
        say(fill(t.failed, { reason: error.message || answer.status }), "error");
        (error.code === "invalid_code" || error.code === "ballot_code_used" ? code : marks[0] || code).focus();
      }
    }, function () { say(fill(t.failed, { reason: "network" }), "error"); });
  }

  function undo() {
    if (!keyed.length) { say(t.nothing_to_undo, "error"); return; }
    const target = keyed[0];
    const url = root.dataset.url + "/" + encodeURIComponent(target) + "?activity_id=" + root.dataset.activity;
    send("DELETE", url).then(function (answer) {
      if (answer.status === 200) {
        keyed.shift();
        showCount();
        say(fill(t.undone, { code: target }), "ok");
        reset(); // a clean screen to key that ballot again
      } else {
        const error = (answer.data && answer.data.error) || {};
        say(fill(t.failed, { reason: error.message || answer.status }), "error");
      }
    });
  }

  form.addEventListener("keydown", function (event) {
    if (event.key === "z" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      undo();
      return;
    }
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    event.preventDefault();
    const position = fields.indexOf(event.target);
    if (event.ctrlKey || position === fields.length - 1) { save(); return; }
    fields[position + 1].focus();
  });
  // Moving to a field selects what it holds: typing replaces it (a mistyped code, say).
  fields.forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
  document.getElementById("undo-last").addEventListener("click", undo);
})();

// Workshop phone: "where am I on the opinion map?" for an agree activity whose facilitator
// lets each phone see its own place. Asked for on demand (never polled): the server answers
// from the map it last computed for the projector, with the room's dots anonymous and only
// this phone's own position. Drawn as SVG; text only ever set with textContent.
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const LETTERS = "ABCDE";

  function circle(x, y, r, cls) {
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", x.toFixed(1));
    dot.setAttribute("cy", y.toFixed(1));
    dot.setAttribute("r", String(r));
    dot.setAttribute("class", cls);
    return dot;
  }

  function draw(data) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "-100 -100 200 200");
    svg.setAttribute("class", "om-dots own-dot-map");
    svg.setAttribute("role", "img");
    const points = data.points || [];
    const extent = points.reduce(function (m, p) {
      return Math.max(m, Math.abs(p.x), Math.abs(p.y));
    }, Math.max(Math.abs(data.x || 0), Math.abs(data.y || 0))) || 1;
    points.forEach(function (p) {
      svg.appendChild(circle(p.x / extent * 85, -p.y / extent * 85, 2.5,
        p.group === null ? "dot dot-none" : "dot dot-g" + p.group));
    });
    if (data.in_map) {
      const x = data.x / extent * 85;
      const y = -data.y / extent * 85;
      svg.appendChild(circle(x, y, 9, "own-ring"));
      svg.appendChild(circle(x, y, 5, data.group === null ? "dot dot-none own" : "dot own dot-g" + data.group));
    }
    return svg;
  }

  function describe(data, t, fmt) {
    if (!data.in_map) return t.own_dot_not_yet || "";
    if (data.group === null || data.group === undefined) return t.own_dot_small_group || "";
    const group = (data.groups || []).find(function (g) { return g.id === data.group; });
    return fmt(t.own_dot_group || "", {
      group: LETTERS[data.group] || String(data.group + 1),
      n: group ? group.size : "?",
      k: (data.groups || []).length,
    });
  }

  // Returns the element to put under the agree ballot.
  window.WorkshopOwnDot = function (code, activity, helpers) {
    const el = helpers.el;
    const t = helpers.t;
    const box = el("details", { className: "own-dot opinion-map", id: "own-dot" });
    const body = el("div", { className: "own-dot-body" });
    const note = el("p", { className: "own-dot-note", role: "status" });
    box.appendChild(el("summary", { text: t.own_dot_title || "" }));
    box.appendChild(body);
    box.appendChild(note);
    let busy = false;
    function load() {
      if (busy) return;
      busy = true;
      note.textContent = t.own_dot_loading || "";
      const url = "/api/v1/workshops/" + encodeURIComponent(code) + "/activities/" +
        activity.id + "/opinions/mine";
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (answer) {
          body.textContent = "";
          if (!answer.ok) {
            note.textContent = t.own_dot_hidden || "";
            return;
          }
          body.appendChild(draw(answer.data));
          note.textContent = describe(answer.data, t, helpers.fmt);
          box.dataset.inMap = answer.data.in_map ? "yes" : "no";
        })
        .catch(function () { note.textContent = t.own_dot_offline || ""; })
        .then(function () { busy = false; });
    }
    box.addEventListener("toggle", function () { if (box.open) load(); });
    const again = el("button", { type: "button", className: "button", text: t.own_dot_refresh || "" });
    again.addEventListener("click", load);
    box.appendChild(again);
    return box;
  };
})();

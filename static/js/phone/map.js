// Workshop phone: pins on the city map (up to N, each with a category and an optional note).
// Tap the map to drop a pin; tap a pin to pick it, then tap the map to move it or remove it.
// Keyboard: Enter on the map drops a pin in the middle, arrow keys move the picked pin.
// Loaded before attendee.js, which builds it with its context. Strings: #i18n-room-kinds.
(function () {
  "use strict";
  const kinds = (window.WorkshopPhone = window.WorkshopPhone || {});

  function strings() {
    const node = document.getElementById("i18n-room-kinds");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }

  kinds.map = function (ctx) {
    const { el, fmt, voteForm, voteCard, startBallot, saveBar, markDirty, announce } = ctx;
    const s = strings();
    let picked = null; // index of the pin being moved
    let category = null;
    let activity = null;

    function categories() {
      return (activity && activity.categories) || [];
    }

    function renderMap(current) {
      activity = current;
      startBallot(activity);
      const cats = categories();
      if (category === null || cats.indexOf(category) < 0) category = cats[0] || null;
      const pills = el("div", { className: "pills category-pills", role: "radiogroup", "aria-label": s.category }, cats.map(function (c, i) {
        return el("label", { className: "pill cat-" + (i % 8) }, [
          el("input", { type: "radio", name: "category", value: c, checked: c === category }),
          el("span", { lang: "th", text: (i + 1) + " · " + c }),
        ]);
      }));
      pills.addEventListener("change", function (event) { category = event.target.value; });
      const note = el("input", { type: "text", id: "pin-note", name: "note", maxlength: "280", lang: "th", autocomplete: "off" });
      const image = activity.image;
      const frame = el("div", {
        className: "map-frame", id: "map-frame", tabindex: "0", role: "application",
        "aria-label": s.map_label, "aria-describedby": "map-hint",
      }, [
        image ? el("img", { src: image.url, alt: "", width: String(image.width), height: String(image.height), className: "map-image", draggable: "false" })
              : el("p", { className: "notice", text: s.no_map }),
        el("div", { className: "map-pins", id: "map-pins" }),
      ]);
      frame.addEventListener("click", onMapClick);
      frame.addEventListener("keydown", onKey);
      const form = voteForm(activity, "map-form stack", [
        el("fieldset", { className: "field" }, [el("legend", { text: s.category }), pills]),
        el("div", { className: "field" }, [
          el("label", { for: "pin-note", text: s.note_label }),
          note,
        ]),
        frame,
        el("p", { className: "hint", id: "map-hint", text: s.map_hint }),
        el("ol", { className: "my-pins", id: "my-pins" }),
        saveBar(s.save_pins),
      ]);
      form.addEventListener("click", onListClick);
      voteCard(activity, [el("p", { text: fmt(s.map_rules, { n: activity.max_pins || 3 }) })], form);
      refreshMap();
    }

    function pins() {
      return ctx.ballot ? ctx.ballot.pins : [];
    }

    function refreshMap() {
      const layer = document.getElementById("map-pins");
      const list = document.getElementById("my-pins");
      if (!layer || !list || !ctx.ballot) return;
      const cats = categories();
      layer.textContent = "";
      list.textContent = "";
      pins().forEach(function (pin, i) {
        const index = cats.indexOf(pin.category);
        const marker = el("button", {
          type: "button", className: "pin cat-" + (index % 8) + (picked === i ? " is-picked" : ""),
          dataset: { pin: String(i) }, "aria-label": fmt(s.pin_n, { n: i + 1, category: pin.category }),
          text: String(index + 1),
        });
        marker.style.left = pin.x * 100 + "%";
        marker.style.top = pin.y * 100 + "%";
        layer.appendChild(marker);
        list.appendChild(el("li", null, [
          el("span", { lang: "th", text: fmt(s.pin_n, { n: i + 1, category: pin.category }) + (pin.note ? " — " + pin.note : "") }),
          el("button", { type: "button", className: "button link", dataset: { remove: String(i) }, text: s.remove_pin }),
        ]));
      });
      const left = document.getElementById("budget");
      const max = Number(activity && activity.max_pins) || 3;
      if (left) left.textContent = fmt(s.pins_left, { n: Math.max(max - pins().length, 0) });
    }

    function place(x, y) {
      const max = Number(activity.max_pins) || 3;
      x = Math.round(Math.min(Math.max(x, 0), 1) * 10000) / 10000;
      y = Math.round(Math.min(Math.max(y, 0), 1) * 10000) / 10000;
      const note = document.getElementById("pin-note");
      if (picked !== null && pins()[picked]) {
        pins()[picked].x = x;
        pins()[picked].y = y;
        announce(fmt(s.pin_moved, { n: picked + 1 }));
        picked = null;
      } else if (pins().length >= max) {
        announce(s.pins_full);
        return;
      } else if (category) {
        const pin = { x: x, y: y, category: category };
        if (note && note.value.trim()) pin.note = note.value.trim();
        pins().push(pin);
        if (note) note.value = "";
        announce(fmt(s.pin_dropped, { n: pins().length, category: category }));
      }
      markDirty();
      refreshMap();
    }

    function onMapClick(event) {
      const marker = event.target.closest(".pin");
      if (marker) {
        picked = picked === Number(marker.dataset.pin) ? null : Number(marker.dataset.pin);
        refreshMap();
        return;
      }
      const image = document.querySelector("#map-frame .map-image");
      if (!image) return;
      const box = image.getBoundingClientRect();
      place((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    }

    function onKey(event) {
      const moves = { ArrowLeft: [-0.02, 0], ArrowRight: [0.02, 0], ArrowUp: [0, -0.02], ArrowDown: [0, 0.02] };
      if (event.key === "Enter" && event.target.id === "map-frame") {
        event.preventDefault();
        place(0.5, 0.5);
      } else if (moves[event.key] && pins().length) {
        event.preventDefault();
        const i = picked !== null ? picked : pins().length - 1;
        const pin = pins()[i];
        picked = i;
        place(pin.x + moves[event.key][0], pin.y + moves[event.key][1]);
        picked = i;
      }
    }

    function onListClick(event) {
      const button = event.target.closest("[data-remove]");
      if (!button || !ctx.ballot) return;
      ctx.ballot.pins.splice(Number(button.dataset.remove), 1);
      picked = null;
      markDirty();
      refreshMap();
      announce(s.pin_removed);
    }

    return { render: renderMap, refresh: refreshMap };
  };
})();

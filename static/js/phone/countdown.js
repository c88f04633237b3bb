// Workshop phone: the countdown the facilitator sets for an activity.
// Loaded before attendee.js, which makes one and calls set(activity) on every state. The
// server sends the seconds left, not a deadline, so a phone with a wrong clock still counts
// down right.
(function () {
  "use strict";

  window.WorkshopCountdown = function (root, before, label, el) {
    const node = el("p", { id: "countdown", className: "countdown", role: "timer", hidden: true });
    node.setAttribute("aria-label", label || "");
    root.insertBefore(node, before);
    let deadline = null;
    let timer = null;
    function tick() {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      node.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      node.classList.toggle("is-ending", left <= 30);
      if (!left) stop();
    }
    function stop() {
      if (timer) window.clearInterval(timer);
      timer = null;
    }
    return {
      set: function (activity) {
        const seconds = activity && activity.state === "open" ? activity.remaining_seconds : null;
        if (typeof seconds !== "number") {
          stop();
          node.hidden = true;
          return;
        }
        deadline = Date.now() + seconds * 1000; // relative: immune to a wrong phone clock
        node.hidden = false;
        tick();
        if (!timer && seconds > 0) timer = window.setInterval(tick, 1000);
      },
    };
  };
})();

// The countdown the facilitator sets for an activity, on the phone and the projector.
// Loaded before attendee.js and presenter.js, which make one and call set(activity) on
// every state; the phone has it put before its activity (root, before), the projector
// places ``node`` itself. The server sends the seconds left, not a deadline, so a device
// with a wrong clock still counts down right.
(function () {
  "use strict";

  window.WorkshopCountdown = function (root, before, label, el) {
    const node = el("p", { id: "countdown", className: "countdown", role: "timer", hidden: true });
    node.setAttribute("aria-label", label || "");
    if (root) root.insertBefore(node, before);
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
      node: node,
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

// Workshop phone: what was typed or chosen but not sent yet, kept per activity.
// Loaded before attendee.js. When the facilitator moves the room to another activity, the
// idea being written and a ballot changed but not saved stay here (sessionStorage, or memory
// when storage is refused) and come back when that activity is current again. Nothing here
// is ever sent by itself: the person still presses Send or Save.
(function () {
  "use strict";

  window.WorkshopDrafts = function (key) {
    let memory = {};

    function load() {
      try {
        const raw = window.sessionStorage.getItem(key);
        const data = raw ? JSON.parse(raw) : {};
        return data && typeof data === "object" ? data : {};
      } catch (e) {
        return memory;
      }
    }

    function store(data) {
      memory = data;
      try {
        if (Object.keys(data).length) window.sessionStorage.setItem(key, JSON.stringify(data));
        else window.sessionStorage.removeItem(key);
      } catch (e) {
        /* private mode or full: memory keeps it for this page */
      }
    }

    return {
      // slot: "text" (a brainstorm's idea) or "ballot" (a vote's unsaved choices)
      get: function (slot, activityId) {
        const value = load()[slot + ":" + activityId];
        return value === undefined ? null : value;
      },
      set: function (slot, activityId, value) {
        const data = load();
        const empty = value === null || value === "" ||
          (typeof value === "object" && !Object.keys(value).length);
        if (empty) delete data[slot + ":" + activityId];
        else data[slot + ":" + activityId] = value;
        store(data);
      },
      drop: function (slot, activityId) {
        const data = load();
        delete data[slot + ":" + activityId];
        store(data);
      },
    };
  };
})();

// Workshop phone: the outbox, the writes not yet acknowledged by the server.
// Loaded before attendee.js, which makes one per page. A write (a statement or a ballot)
// is kept in localStorage until the server answers it, and is sent again with the same
// client_id after a jittered back-off (static/js/phone/retry.js) when no answer comes in
// time or the server answers "busy": a resend is never stored twice.
(function () {
  "use strict";

  // options: key (localStorage), socket() (the Socket.IO client, once there is one),
  // backoff, ackTimeout, retryBase, retryMax, and the phone's reactions: sending(),
  // retrying(), acked(entry, ack), refused(entry, ack).
  window.WorkshopOutbox = function (options) {
    let entries = load();
    let sending = null; // client_id of the write in flight
    let retryTimer = null;
    let retries = 0; // resends since the last answer: the back-off's exponent

    function load() {
      try {
        const raw = window.localStorage.getItem(options.key);
        const list = raw ? JSON.parse(raw) : [];
        return Array.isArray(list) ? list : [];
      } catch (e) {
        return [];
      }
    }

    function save() {
      try {
        if (entries.length) window.localStorage.setItem(options.key, JSON.stringify(entries));
        else window.localStorage.removeItem(options.key);
      } catch (e) {
        /* private mode or full: the write still lives in memory */
      }
    }

    function queue(entry) {
      if (entry.event === "vote") {
        // A newer ballot for the same activity replaces a queued one (not the one in flight).
        // Agree answers go one statement at a time: only an answer to the same statement does.
        entries = entries.filter(function (e) {
          return !(e.event === "vote" && e.payload.activity_id === entry.payload.activity_id &&
                   e.payload.statement_id === entry.payload.statement_id &&
                   e.payload.client_id !== sending);
        });
      }
      entries.push(entry);
      save();
      options.sending();
      flush();
    }

    function drop(clientId) {
      entries = entries.filter(function (e) { return e.payload.client_id !== clientId; });
      save();
    }

    function flush() {
      const socket = options.socket();
      if (sending || !entries.length || !socket) return;
      if (!socket.connected) {
        options.retrying();
        scheduleRetry();
        return;
      }
      const entry = entries[0];
      const clientId = entry.payload.client_id;
      sending = clientId;
      socket.timeout(options.ackTimeout).emit(entry.event, entry.payload, function (err, ack) {
        if (sending === clientId) sending = null;
        if (err || (ack && !ack.ok && ack.error && ack.error.code === "busy")) {
          // No answer in time, or the server is busy: keep it, send it again (same
          // client_id) after a jittered back-off.
          options.retrying();
          scheduleRetry();
          return;
        }
        retries = 0;
        drop(clientId);
        if (ack && ack.ok) options.acked(entry, ack);
        else options.refused(entry, ack);
        flush();
      });
    }

    function scheduleRetry() {
      if (retryTimer) return;
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        const socket = options.socket();
        if (entries.length && socket && socket.connected) flush();
        else if (entries.length) scheduleRetry();
      }, options.backoff.delay(retries++, options.retryBase, options.retryMax));
    }

    return {
      queue: queue,
      flush: flush,
      // Back on the network: the next resend goes out without the grown back-off.
      reconnected: function () { retries = 0; flush(); },
      forEach: function (fn) { entries.forEach(fn); },
      get length() { return entries.length; },
      busy: function () { return !!sending || entries.length > 0; },
      votePending: function () { return entries.some(function (e) { return e.event === "vote"; }); },
    };
  };
})();

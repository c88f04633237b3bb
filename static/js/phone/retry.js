// Workshop phone: when to try again, so that a hall of phones does not stampede a server
// that has just come back (a restart) or is answering "busy" (an overload).
// Loaded before attendee.js. Both waits are jittered exponential back-offs:
// - the Socket.IO reconnection (socketOptions): 1 s, doubling up to 10 s, each wait moved
//   at random by up to +-50 %, so 2,000 phones that lost the server at the same instant
//   come back spread over seconds instead of all in the same millisecond;
// - a write that got no answer or "busy" (delay): between half and all of
//   base * 2^attempt, at most max, sent again with the same client_id.
(function () {
  "use strict";
  window.WorkshopRetry = {
    socketOptions: {
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      randomizationFactor: 0.5,
    },
    delay: function (attempt, base, max) {
      const top = Math.min(max, base * Math.pow(2, Math.max(0, attempt)));
      return top / 2 + Math.random() * (top / 2);
    },
  };
})();

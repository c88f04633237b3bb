/* Facilitator control panel: the live connection. Participant counts, the live vote's
 * ballots (total and per group) and a brainstorm's statement count update in place; a change
 * made on another screen redraws the now card and the agenda (static/js/panel/actions.js).
 */
(function () {
  "use strict";

  const root = document.getElementById("panel");
  if (!root || typeof window.io !== "function") return;

  const code = root.dataset.code;
  const t = readJSON("i18n") || {};
  const panel = window.WorkshopPanel || { refreshSoon: function () {} };
  let lastTally = null;

  function readJSON(id) {
    const node = document.getElementById(id);
    try {
      return node ? JSON.parse(node.textContent) : null;
    } catch (e) {
      return null;
    }
  }

  const connection = document.createElement("p");
  connection.id = "connection";
  connection.className = "connection";
  connection.setAttribute("role", "status");
  connection.hidden = true;
  connection.textContent = t.offline || "";
  const heading = root.querySelector("h1");
  root.insertBefore(connection, heading ? heading.nextSibling : root.firstChild);

  function setText(id, value) {
    const node = document.getElementById(id);
    if (node) node.textContent = String(value);
  }

  function showPresence(presence) {
    if (!presence) return;
    setText("presence-total", presence.total || 0);
    const online = presence.online || {};
    setText("presence-online", online.total || 0);
    const byGroup = presence.by_group || {};
    root.querySelectorAll("[data-presence] [data-group]").forEach(function (node) {
      const count = node.querySelector("[data-count]");
      if (count) count.textContent = String(byGroup[node.dataset.group] || 0);
    });
  }

  // Ballots of the current vote, live (tallies are sent to facilitators).
  function onTally(tally) {
    if (!tally) return;
    lastTally = tally;
    const id = String(Number(tally.activity_id));
    const ballots = String(tally.ballots || 0);
    const line = root.querySelector('[data-activity="' + id + '"] [data-ballots]');
    if (line) line.textContent = String(t.ballots || "{n}").replace("{n}", ballots);
    const now = document.getElementById("now-ballots");
    if (now && now.dataset.activityId === id) {
      now.textContent = ballots;
      const byGroup = tally.ballots_by_group || {};
      document.querySelectorAll("#now-ballots-by-group [data-group]").forEach(function (node) {
        const count = node.querySelector("[data-count]");
        if (count && node.dataset.group in byGroup) count.textContent = String(byGroup[node.dataset.group]);
      });
    }
  }

  function statementCount(activityId, set, add) {
    const node = document.getElementById("now-statements");
    if (!node || node.dataset.activityId !== String(activityId)) return;
    node.textContent = String(set !== null ? set : Number(node.textContent || 0) + add);
  }

  document.addEventListener("panel:redrawn", function () { if (lastTally) onTally(lastTally); });

  const socket = window.io({
    auth: { workshop: code, role: "facilitator" },
    transports: ["websocket", "polling"],
    tryAllTransports: true,
  });
  socket.on("connect", function () { connection.hidden = true; });
  socket.on("disconnect", function () { connection.hidden = false; });
  socket.on("connect_error", function () { connection.hidden = false; });
  socket.on("presence", showPresence);
  socket.on("state", function () { panel.refreshSoon(); });
  socket.on("tally", onTally);
  socket.on("statement", function (s) { if (s) statementCount(s.activity_id, null, 1); });
  socket.on("statements", function (p) {
    if (p) statementCount(p.activity_id, (p.statements || []).length, 0);
  });
})();

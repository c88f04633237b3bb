/* Facilitator control panel: live participant counts, live ballot counts, and a hint
 * when the room was changed from another screen. The buttons stay plain forms (each
 * one reloads the panel with the new state).
 */
(function () {
  "use strict";

  const root = document.getElementById("panel");
  if (!root || typeof window.io !== "function") return;

  const code = root.dataset.code;
  const t = readJSON("i18n") || {};

  function readJSON(id) {
    const node = document.getElementById(id);
    try {
      return node ? JSON.parse(node.textContent) : null;
    } catch (e) {
      return null;
    }
  }

  // Status lines, made here so that the page needs no extra markup.
  function statusLine(id, className) {
    let node = document.getElementById(id);
    if (!node) {
      node = document.createElement("p");
      node.id = id;
      node.className = className;
      node.setAttribute("role", "status");
      node.hidden = true;
      const heading = root.querySelector("h1");
      root.insertBefore(node, heading ? heading.nextSibling : root.firstChild);
    }
    return node;
  }

  const connection = statusLine("connection", "connection");
  connection.textContent = t.offline || "";
  const hint = statusLine("panel-updated", "notice");
  if (!hint.firstChild) {
    hint.appendChild(document.createTextNode((t.changed || "") + " "));
    const reload = document.createElement("a");
    reload.href = window.location.pathname;
    reload.textContent = t.reload || "";
    hint.appendChild(reload);
  }

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

  // The page is stale when the current activity, or its state, is not what it shows.
  function onState(state) {
    const activity = state && state.current_activity;
    const currentId = activity ? String(activity.id) : null;
    let stale = false;
    root.querySelectorAll("[data-activity]").forEach(function (node) {
      const isCurrent = node.dataset.activity === currentId;
      if (isCurrent !== node.classList.contains("current")) stale = true;
      if (isCurrent && !node.classList.contains("state-" + activity.state)) stale = true;
    });
    if (currentId && !root.querySelector('[data-activity="' + currentId + '"]')) stale = true;
    hint.hidden = !stale;
  }

  // Ballots of the current vote, live (tallies are sent to facilitators).
  function onTally(tally) {
    if (!tally) return;
    const item = root.querySelector('[data-activity="' + Number(tally.activity_id) + '"]');
    if (!item) return;
    let node = item.querySelector("[data-ballots]");
    if (!node) {
      node = document.createElement("p");
      node.className = "muted live-ballots";
      node.setAttribute("data-ballots", "");
      const actions = item.querySelector(".actions");
      item.insertBefore(node, actions);
    }
    node.textContent = String(t.ballots || "{n}").replace("{n}", String(tally.ballots || 0));
  }

  const socket = window.io({
    auth: { workshop: code, role: "facilitator" },
    transports: ["websocket", "polling"],
    tryAllTransports: true,
  });
  socket.on("connect", function () { connection.hidden = true; });
  socket.on("disconnect", function () { connection.hidden = false; });
  socket.on("connect_error", function () { connection.hidden = false; });
  socket.on("presence", showPresence);
  socket.on("state", onState);
  socket.on("tally", onTally);
})();

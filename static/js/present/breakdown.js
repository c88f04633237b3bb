/* Projector: per-stakeholder-group numbers under every bar of a dot vote, ranking, rating or
 * poll (on a switch: the G key or the button, remembered for this screen), and a poll's
 * share of the voters beside each option. presenter.js calls row() for every bar it draws;
 * loaded before it.
 */
(function () {
  "use strict";

  const KEY = "workshop:present:groups";
  let shown = false;
  try { shown = window.sessionStorage.getItem(KEY) === "1"; } catch (e) { /* memory only */ }

  function apply() {
    document.body.classList.toggle("show-groups", shown);
    const button = document.getElementById("breakdown-button");
    if (button) button.setAttribute("aria-pressed", String(shown));
    if (window.WorkshopPager) window.WorkshopPager.refit();
  }

  function value(kind, entry) {
    if (kind === "rating") {
      return entry && typeof entry.mean === "number" ? entry.mean.toFixed(1) : null;
    }
    return typeof entry === "number" && entry > 0 ? String(entry) : null;
  }

  window.WorkshopBreakdown = {
    row: function (row, item, tally, helpers) {
      const kind = tally.kind;
      if (kind === "poll") {
        let share = row.querySelector(".bar-share");
        if (!share) {
          share = helpers.el("span", { className: "bar-share" });
          row.insertBefore(share, row.querySelector(".bar-value").nextSibling);
        }
        const voters = tally.ballots || 0;
        share.textContent = (voters ? Math.round(((item.score || 0) / voters) * 100) : 0) + "%";
      }
      let list = row.querySelector(".bar-groups");
      if (!list) {
        list = helpers.el("ul", { className: "bar-groups" });
        row.appendChild(list);
      }
      list.textContent = "";
      const byGroup = item.by_group || {};
      Object.keys(byGroup).forEach(function (group) {
        const shownValue = value(kind, byGroup[group]);
        if (shownValue === null) return;
        list.appendChild(helpers.el("li", { "data-group": group }, [
          helpers.el("span", { className: "bar-group-name", text: helpers.groupLabel(group) }),
          helpers.el("strong", { className: "bar-group-value", text: shownValue }),
        ]));
      });
    },
    toggle: function () {
      shown = !shown;
      try { window.sessionStorage.setItem(KEY, shown ? "1" : "0"); } catch (e) { /* fine */ }
      apply();
    },
  };

  document.addEventListener("DOMContentLoaded", function () {
    const button = document.getElementById("breakdown-button");
    if (button) button.addEventListener("click", function () { window.WorkshopBreakdown.toggle(); });
    apply();
  });
})();

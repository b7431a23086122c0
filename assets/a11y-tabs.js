/* dbc.Tabs (2.0) renders role="tab" links whose aria-controls points to "...-tabpane-null", an
   id that does not exist (axe: aria-valid-attr-value, critical). Pair each tab with its pane and
   give both real ids. Pure DOM attributes: the tabs' behaviour and their callbacks are
   untouched. Also makes the tab list reachable and usable with the keyboard (see below). */
(function () {
  function pair() {
    document.querySelectorAll(".tabs-accessibles").forEach(function (root, r) {
      var links = root.querySelectorAll('a[role="tab"]');
      var panes = root.querySelectorAll(".tab-content > .tab-pane");
      links.forEach(function (link, i) {
        var pane = panes[i];
        var tabId = "onglet-" + r + "-" + i;
        if (link.id !== tabId) link.id = tabId;
        if (pane) {
          var paneId = "panneau-" + r + "-" + i;
          if (pane.id !== paneId) pane.id = paneId;
          if (pane.getAttribute("role") !== "tabpanel") pane.setAttribute("role", "tabpanel");
          if (pane.getAttribute("aria-labelledby") !== tabId) pane.setAttribute("aria-labelledby", tabId);
          if (link.getAttribute("aria-controls") !== paneId) link.setAttribute("aria-controls", paneId);
        } else if (link.hasAttribute("aria-controls")) {
          link.removeAttribute("aria-controls");
        }
        // dbc renders every tab with tabindex="-1": the tab list was out of the keyboard's
        // reach. Roving tabindex (WAI-ARIA tabs pattern): the active tab is the tab stop.
        var active = link.classList.contains("active");
        var tabindex = active ? "0" : "-1";
        if (link.getAttribute("tabindex") !== tabindex) link.setAttribute("tabindex", tabindex);
        var selected = active ? "true" : "false";
        if (link.getAttribute("aria-selected") !== selected) link.setAttribute("aria-selected", selected);
      });
    });
  }
  // Arrow keys, Home and End move between tabs and open the one reached (Enter and Space
  // open the focused tab: a link already answers Enter).
  document.addEventListener("keydown", function (event) {
    var tab = event.target;
    if (!tab || tab.getAttribute("role") !== "tab" || !tab.closest(".tabs-accessibles")) return;
    var tabs = Array.prototype.slice.call(tab.closest('[role="tablist"], .nav').querySelectorAll('[role="tab"]'));
    var i = tabs.indexOf(tab);
    var next = null;
    if (event.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    else if (event.key === " ") next = tab;
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.click();
  });
  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; pair(); });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-controls", "tabindex", "class"] });
})();

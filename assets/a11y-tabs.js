/* dbc.Tabs (2.0) renders role="tab" links whose aria-controls points to "...-tabpane-null", an
   id that does not exist (axe: aria-valid-attr-value, critical). Pair each tab with its pane and
   give both real ids. Pure DOM attributes: the tabs' behaviour and their callbacks are
   untouched. */
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
      });
    });
  }
  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; pair(); });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-controls"] });
})();

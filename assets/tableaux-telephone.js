/*
 * Tables on a phone (< 576 px): assets/style.css shows each row of a Dash DataTable as a small
 * card, one "column name: value" line per cell, instead of a wide grid scrolled sideways. The
 * column name comes from here: each data cell (and filter cell) gets a data-label attribute
 * holding its column's header text, read from the table itself. Pure DOM attributes; nothing
 * changes on larger screens.
 */
(function () {
  "use strict";

  function etiqueter(table) {
    var noms = {};
    table.querySelectorAll("th.dash-header[data-dash-column]").forEach(function (th) {
      var nom = th.querySelector(".column-header-name");
      noms[th.getAttribute("data-dash-column")] = (nom || th).textContent.trim();
    });
    table.querySelectorAll("td[data-dash-column], th.dash-filter[data-dash-column]").forEach(
      function (cellule) {
        var nom = noms[cellule.getAttribute("data-dash-column")];
        if (nom !== undefined && cellule.getAttribute("data-label") !== nom) {
          cellule.setAttribute("data-label", nom);
        }
      }
    );
  }

  var prevu = false;
  new MutationObserver(function () {
    if (prevu) { return; }
    prevu = true;
    window.requestAnimationFrame(function () {
      prevu = false;
      document.querySelectorAll("table.cell-table").forEach(etiqueter);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();

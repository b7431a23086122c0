/*
 * Dash DataTables, two DOM touches (pure attributes, no callback):
 *
 * 1. A table wider than its card scrolls sideways inside its own box; a keyboard user must be
 *    able to reach that box to scroll it (axe: scrollable-region-focusable). Such a box gets
 *    tabindex="0", role="region" and the card's title as its name; the attributes go again
 *    when the table fits.
 *
 * 2. Tables on a phone (< 576 px): assets/style.css shows each row of a Dash DataTable as a small
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

  function defilement(boite) {
    var defile = boite.scrollWidth > boite.clientWidth + 1;
    if (defile && boite.getAttribute("tabindex") !== "0") {
      var carte = boite.closest(".card");
      var titre = carte && carte.querySelector(".card-header h2");
      boite.setAttribute("tabindex", "0");
      boite.setAttribute("role", "region");
      boite.setAttribute(
        "aria-label",
        "Tableau" + (titre ? " : " + titre.textContent.trim() : "") + " (défile horizontalement)"
      );
    } else if (!defile && boite.hasAttribute("tabindex")) {
      boite.removeAttribute("tabindex");
      boite.removeAttribute("role");
      boite.removeAttribute("aria-label");
    }
  }

  // 3. The paging buttons are bare arrows: they get their French name (axe: button-name).
  var PAGES = {
    "first-page": "Première page",
    "previous-page": "Page précédente",
    "next-page": "Page suivante",
    "last-page": "Dernière page"
  };

  function nommerPages() {
    document.querySelectorAll(".previous-next-container button").forEach(function (bouton) {
      for (var classe in PAGES) {
        if (bouton.classList.contains(classe) && bouton.getAttribute("aria-label") !== PAGES[classe]) {
          bouton.setAttribute("aria-label", PAGES[classe]);
          bouton.setAttribute("title", PAGES[classe]);
        }
      }
    });
  }

  function tout() {
    nommerPages();
    document.querySelectorAll("table.cell-table").forEach(etiqueter);
    document.querySelectorAll(".dash-spreadsheet-container").forEach(defilement);
  }

  window.addEventListener("resize", tout);
  var prevu = false;
  new MutationObserver(function () {
    if (prevu) { return; }
    prevu = true;
    window.requestAnimationFrame(function () {
      prevu = false;
      tout();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();

/*
 * Phone layout of the dashboard (layouts/shell.py): below 768 px,
 * - the tab selector (#onglets-choix) stands in for the row of tabs: choosing an entry clicks
 *   the matching tab (so Dash sees the same click as on a computer), and the selector follows
 *   the active tab whatever changed it;
 * - the filter bar is folded behind a summary line naming the choices, unless a filter message
 *   must be read (it then unfolds). From 768 px it is always unfolded (its summary is hidden by
 *   assets/style.css).
 * Pure DOM, no callback; plain file for the Content-Security-Policy (no inline script).
 */
(function () {
  "use strict";

  var TELEPHONE = window.matchMedia("(max-width: 767.98px)");

  function onglets() {
    return document.querySelectorAll(".tabs-accessibles [role=tab]");
  }

  function suivreOnglet() {
    var choix = document.getElementById("onglets-choix");
    if (!choix) { return; }
    var liste = onglets();
    for (var i = 0; i < liste.length; i++) {
      if (liste[i].classList.contains("active") && choix.selectedIndex !== i) {
        choix.selectedIndex = i;
      }
    }
  }

  document.addEventListener("change", function (event) {
    if (!event.target || event.target.id !== "onglets-choix") { return; }
    var onglet = onglets()[event.target.selectedIndex];
    if (onglet && !onglet.classList.contains("active")) { onglet.click(); }
  });

  function resumeFiltres(repli) {
    var parts = [];
    repli.querySelectorAll(".filtres select").forEach(function (select) {
      if (!select.value || select.closest(".d-none")) { return; }
      var option = select.options[select.selectedIndex];
      if (option) { parts.push(option.text); }
    });
    var cible = repli.querySelector(".filtres-choisis");
    var texte = parts.join(" · ");
    if (cible && cible.textContent !== texte) { cible.textContent = texte; }
  }

  var replie = false;  // folded once, on the first phone display: the user decides afterwards
  function filtres() {
    var repli = document.getElementById("filtres-repli");
    if (!repli) { return; }
    var message = document.getElementById("filtres-message");
    if (!TELEPHONE.matches || (message && message.textContent.trim())) {
      if (!repli.open) { repli.open = true; }
    } else if (!replie) {
      repli.open = false;
    }
    if (TELEPHONE.matches) { replie = true; }
    resumeFiltres(repli);
  }

  var prevu = false;
  function miseAJour() {
    if (prevu) { return; }
    prevu = true;
    window.requestAnimationFrame(function () {
      prevu = false;
      suivreOnglet();
      filtres();
    });
  }
  new MutationObserver(miseAJour).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class", "value"]
  });
  document.addEventListener("change", miseAJour);
  TELEPHONE.addEventListener("change", function () { replie = false; miseAJour(); });
})();

/*
 * "Image (.png)" item of a chart card's "Télécharger les résultats" menu.
 *
 * Draws a copy of the card's chart with its title, unit, scope, filters and data date written
 * in, so that the PNG stands alone in a report, and downloads it under a meaningful name:
 * suivi-etp_<card>_<year>_<selection>_<yyyy-mm-dd>.png. The chart on screen is never modified:
 * Plotly.downloadImage renders the annotated copy off screen. Everything drawn is read from
 * what the page already shows (no data comes from here: the numbers are the chart's own).
 */
(function () {
  "use strict";

  function texte(selector, root) {
    var el = (root || document).querySelector(selector);
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // Same rule as etp.exports.names.slugify / scope_slug on the server.
  function slugify(value) {
    return value
      .toLowerCase()
      .replace(/œ/g, "oe")
      .replace(/æ/g, "ae")
      .replace(/ß/g, "ss")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }

  function scopeSlug(label) {
    var slug = label
      .split(", ")
      .map(function (org) { return slugify(org.split(" - ")[0]); })
      .filter(Boolean)
      .join("-");
    if (slug.length > 40) {
      slug = slug.slice(0, 40);
      slug = slug.slice(0, slug.lastIndexOf("-") > 0 ? slug.lastIndexOf("-") : 40);
    }
    return slug;
  }

  function aujourdhui() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  // "Année : 2022 · Type de structure : ACI": the filter bar's selects that hold a value.
  function filtresChoisis() {
    var parts = [];
    document.querySelectorAll(".filtres select").forEach(function (select) {
      if (!select.value || select.closest(".d-none")) { return; }
      var label = document.querySelector('label[for="' + select.id + '"]');
      var nom = label ? label.textContent.replace("*", "").trim() : select.name;
      var option = select.options[select.selectedIndex];
      parts.push(nom + " : " + (option ? option.text : select.value));
    });
    return parts.join(" · ");
  }

  function echapper(value) {
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function carteDepuisDeclencheur() {
    var ctx = window.dash_clientside.callback_context;
    var id = ctx && ctx.triggered_id;
    if (!id && ctx && ctx.triggered && ctx.triggered.length) {
      id = JSON.parse(ctx.triggered[0].prop_id.split(".n_clicks")[0]);
    }
    return id && id.card;
  }

  function titreAxe(axe) {
    var titre = axe && axe.title;
    return titre ? (typeof titre === "string" ? titre : titre.text || "") : "";
  }

  // The unit is the value axis' title: y for upright bars, x for horizontal ones.
  function unite(layout) {
    return titreAxe(layout.yaxis) || titreAxe(layout.xaxis);
  }

  // suivi-etp_<card>_<year> (the chart's config, set by the dashboard) + the selection
  // (named on the server from the filters, callbacks.exports.selection; the user's scope
  // until it is known) + today.
  function nomImage(gd, card, perimetre) {
    var options = (gd._context && gd._context.toImageButtonOptions) || {};
    var base = options.filename || ("suivi-etp_" + card);
    if (gd._suiviEtpNom && base === gd._suiviEtpNom) { base = gd._suiviEtpBase; }
    var selection = slugify(texte("#export-selection")) || scopeSlug(perimetre);
    var nom = [base, selection, aujourdhui()].filter(Boolean).join("_");
    gd._suiviEtpBase = base;
    gd._suiviEtpNom = nom;
    return nom;
  }

  // The modebar's own camera button: give its file the same meaningful name, just before
  // Plotly reads it (capture phase runs before the button's own click listener).
  document.addEventListener("click", function (event) {
    var bouton = event.target.closest && event.target.closest(".modebar-btn[data-title]");
    if (!bouton || !/png/i.test(bouton.getAttribute("data-title"))) { return; }
    var gd = bouton.closest(".js-plotly-plot");
    if (!gd || !gd._context) { return; }
    var perimetre = texte("#shell-perimetre").replace(/^Périmètre\s*:\s*/, "");
    var carte = gd.closest(".card");
    var nom = nomImage(gd, carte ? carte.id : "graphique", perimetre);
    gd._context.toImageButtonOptions = Object.assign(
      {}, gd._context.toImageButtonOptions, { filename: nom }
    );
  }, true);

  function png(nClicks) {
    var noUpdate = window.dash_clientside.no_update;
    var card = carteDepuisDeclencheur();
    if (!nClicks || !card || !window.Plotly) { return noUpdate; }
    var conteneur = document.getElementById(card + "-graph");
    var gd = conteneur && (conteneur.classList.contains("js-plotly-plot")
      ? conteneur : conteneur.querySelector(".js-plotly-plot"));
    if (!gd || !gd.data) { return noUpdate; }

    var titre = texte("#" + card + " .card-header h2") || card;
    var perimetre = texte("#shell-perimetre").replace(/^Périmètre\s*:\s*/, "");
    var date = texte(".date-donnees");
    var filtres = filtresChoisis();
    var layout = JSON.parse(JSON.stringify(gd.layout || {}));
    var lignes = [
      "<b>" + echapper(titre) + "</b>",
      echapper(["Unité : " + (unite(layout) || "–"), "Périmètre : " + perimetre]
        .join(" · ")),
      echapper(filtres ? "Filtres : " + filtres : "Aucun filtre"),
    ];
    var margin = layout.margin || {};
    layout.margin = Object.assign({}, margin, {
      t: 125,
      b: Math.max(margin.b || 0, 40) + 30,
    });
    layout.title = {
      text: lignes.join("<br>"),
      x: 0.01,
      xanchor: "left",
      y: 0.97,
      yanchor: "top",
      font: { size: 14 },
    };
    layout.annotations = (layout.annotations || []).concat([{
      text: echapper((date || "") + " · Source : Suivi ETP, extrait le " +
        new Date().toLocaleDateString("fr-FR")),
      xref: "paper", yref: "paper", x: 1, y: 0, yshift: -(layout.margin.b - 8),
      xanchor: "right", yanchor: "bottom", showarrow: false,
      font: { size: 11, color: "#4b5563" },
    }]);
    var nom = nomImage(gd, card, perimetre);
    window.Plotly.downloadImage(
      { data: gd.data, layout: layout, config: { locale: "fr" } },
      { format: "png", filename: nom, width: 1200, height: 720, scale: 1 }
    );
    return noUpdate;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.suiviEtpExports = { png: png, scopeSlug: scopeSlug };
})();

/*
 * Month-by-month charts on a phone (< 576 px wide).
 *
 * The figures are built on the server (layouts/figures.py), which does not know the screen
 * width. At 390 px the twelve month labels turned sideways and the rate axis title took a
 * fifth of the width. On a phone only, once Plotly has drawn a chart whose x axis is the twelve
 * months, this relayouts it: every other month labelled, upright (each bar keeps its month in
 * the hover), no title on the rate axis (its ticks say "%" and the legend names the line),
 * margins fitted to the tick labels. The "ETP" title stays: the PNG export reads its unit there.
 * Desktop charts are never touched; a new figure from a callback is adapted again.
 */
(function () {
  "use strict";

  var TELEPHONE = window.matchMedia("(max-width: 575.98px)");

  function adapter(gd) {
    if (!TELEPHONE.matches || !window.Plotly || !gd.layout || !gd.data || !gd.data.length) {
      return;
    }
    if (gd.layout.meta && gd.layout.meta.telephone) { return; }  // already adapted
    var x = gd.data[0].x;
    if (!x || x.length !== 12 || typeof x[0] !== "string") { return; }
    var layout = JSON.parse(JSON.stringify(gd.layout));
    layout.meta = Object.assign({}, layout.meta, { telephone: true });
    layout.xaxis = Object.assign({}, layout.xaxis, {
      tickmode: "array",
      tickvals: Array.prototype.filter.call(x, function (_, i) { return i % 2 === 0; }),
      tickangle: 0,
      tickfont: { size: 11 }
    });
    layout.yaxis = Object.assign({}, layout.yaxis, { automargin: true });
    if (layout.yaxis2) {
      // no title at all: an empty one still kept its room in the margin
      layout.yaxis2 = Object.assign({}, layout.yaxis2, { automargin: true });
      delete layout.yaxis2.title;
    }
    layout.margin = Object.assign({}, layout.margin, { l: 10, r: 10, t: 20 });
    window.Plotly.react(gd, gd.data, layout).then(function () {
      // The labels of that redraw still came out sideways (the angle Plotly had chosen for the
      // first drawing); an explicit relayout of the same angle sets them upright.
      return window.Plotly.relayout(gd, { "xaxis.tickangle": 0 });
    });
  }

  function brancher(gd) {
    if (gd._suiviEtpTelephone || typeof gd.on !== "function") { return; }
    gd._suiviEtpTelephone = true;
    // after the drawing in progress has finished, not inside it
    gd.on("plotly_afterplot", function () { setTimeout(function () { adapter(gd); }, 0); });
    adapter(gd);
  }

  function parcourir() {
    document.querySelectorAll(".graphique .js-plotly-plot").forEach(brancher);
  }

  new MutationObserver(parcourir).observe(document.documentElement, {
    childList: true,
    subtree: true
  });
})();

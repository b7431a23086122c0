/* French locale for Plotly ("fr"), registered without any CDN: queued in window.PlotlyLocales
   (read by plotly.js when it loads) or registered directly if Plotly is already there. */
(function () {
  var fr = {
    moduleType: "locale",
    name: "fr",
    dictionary: {
      "Autoscale": "Échelle automatique",
      "Box Select": "Sélection rectangulaire",
      "Click to enter Colorscale title": "Cliquez pour saisir le titre de l'échelle",
      "Click to enter Component A title": "Cliquez pour saisir le titre",
      "Click to enter Plot title": "Cliquez pour saisir le titre du graphique",
      "Click to enter X axis title": "Cliquez pour saisir le titre de l'axe des X",
      "Click to enter Y axis title": "Cliquez pour saisir le titre de l'axe des Y",
      "Compare data on hover": "Comparer les données au survol",
      "Double-click on legend to isolate one trace": "Double-cliquez sur la légende pour isoler une série",
      "Double-click to zoom back out": "Double-cliquez pour dézoomer",
      "Download plot": "Télécharger le graphique",
      "Download plot as a png": "Télécharger le graphique en PNG",
      "Download plot as a PNG": "Télécharger le graphique en PNG",
      "Preparing image - this may take a few seconds": "Préparation de l'image, quelques secondes…",
      "Image download succeeded": "Image téléchargée",
      "Sorry, there was a problem downloading your image!": "Désolé, le téléchargement de l'image a échoué.",
      "Lasso Select": "Sélection lasso",
      "Orbital rotation": "Rotation orbitale",
      "Pan": "Déplacer",
      "Produced with Plotly.js": "Réalisé avec Plotly.js",
      "Reset": "Réinitialiser",
      "Reset axes": "Réinitialiser les axes",
      "Reset view": "Réinitialiser la vue",
      "Show closest data on hover": "Afficher la donnée la plus proche au survol",
      "Snapshot succeeded": "Capture réussie",
      "Sorry, there was a problem downloading your snapshot!": "Désolé, le téléchargement de l'image a échoué.",
      "Taking snapshot - this may take a few seconds": "Capture en cours, quelques secondes…",
      "Toggle Spike Lines": "Afficher/masquer les lignes de repère",
      "Toggle show closest data on hover": "Afficher/masquer la donnée la plus proche au survol",
      "Zoom": "Zoom",
      "Zoom in": "Zoom avant",
      "Zoom out": "Zoom arrière",
      "close:": "fermeture :",
      "high:": "haut :",
      "low:": "bas :",
      "open:": "ouverture :",
      "trace": "série",
      "new text": "nouveau texte"
    },
    format: {
      days: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
      shortDays: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
      months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre"],
      shortMonths: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
        "sept.", "oct.", "nov.", "déc."],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "\u202f",
      grouping: [3],
      currency: ["", "\u00a0€"]
    }
  };
  if (window.Plotly && typeof window.Plotly.register === "function") {
    window.Plotly.register(fr);
  } else {
    window.PlotlyLocales = window.PlotlyLocales || [];
    window.PlotlyLocales.push(fr);
  }
})();

/* Simulation page of the bourse aux postes (/bourse/simulation): live recomputation.

   As the agent types an adjustment or picks a month, the form is posted (debounced) to
   /bourse/simulation/calcul; the server recomputes with the same functions as the page
   (etp.bourse) and answers each shown AF's new annual conventioned ETP, aid variation, projected
   rate and status, the territory's balance and the refusals, already formatted. Nothing here
   computes a figure. A file, not an inline script: the Content-Security-Policy allows scripts
   from this site only. Does nothing on other pages (Dash loads every file of assets/). Without
   JavaScript the « Recalculer » button does the same by a full page. */
(function () {
    "use strict";
    var DELAI = 300;
    var minuterie = null;
    var numero = 0;

    function formulaire() {
        return document.getElementById("form-simulation");
    }

    function etat(texte) {
        var zone = document.getElementById("etat-calcul");
        if (zone) {
            zone.textContent = texte;
        }
    }

    function afficher(reponse) {
        var lignes = reponse.lignes || {};
        Object.keys(lignes).forEach(function (af) {
            var tr = document.getElementById("af-" + af);
            if (!tr) {
                return;
            }
            var cellules = lignes[af];
            Object.keys(cellules).forEach(function (champ) {
                var el = tr.querySelector('[data-champ="' + champ + '"]');
                if (el) {
                    el.textContent = cellules[champ];
                }
            });
        });
        var bilan = reponse.bilan || {};
        Object.keys(bilan).forEach(function (cle) {
            var el = document.querySelector('#bilan [data-bilan="' + cle + '"]');
            if (el) {
                el.textContent = bilan[cle];
            }
        });
        var dans = document.getElementById("badge-dans");
        var hors = document.getElementById("badge-hors");
        if (dans && hors) {
            dans.hidden = !reponse.dans_enveloppe;
            hors.hidden = !!reponse.dans_enveloppe;
        }
        var zone = document.getElementById("erreurs-calcul");
        if (zone) {
            zone.replaceChildren();
            (reponse.erreurs || []).forEach(function (message) {
                var div = document.createElement("div");
                div.className = "alert alert-danger py-2 erreur-simulation";
                div.setAttribute("role", "alert");
                div.textContent = message;
                zone.appendChild(div);
            });
        }
    }

    function recalculer() {
        var form = formulaire();
        if (!form) {
            return;
        }
        var moi = ++numero;
        var donnees = new FormData(form);
        donnees.set("action", "calculer");
        etat("Calcul en cours…");
        fetch(form.getAttribute("data-calcul"), {
            method: "POST",
            body: donnees,
            credentials: "same-origin",
            headers: { "Accept": "application/json" }
        })
            .then(function (r) {
                return r.json().then(function (json) {
                    return { ok: r.ok, json: json };
                });
            })
            .then(function (resultat) {
                if (moi !== numero) {
                    return; // a later recomputation is on its way
                }
                if (!resultat.ok) {
                    etat(resultat.json.erreur || "Le calcul n'a pas pu être mis à jour : utilisez « Recalculer ».");
                    return;
                }
                afficher(resultat.json);
                etat("Calcul à jour.");
                form.setAttribute("data-calcul-fait", String(moi));
            })
            .catch(function () {
                if (moi === numero) {
                    etat("Le calcul n'a pas pu être mis à jour : utilisez « Recalculer ».");
                }
            });
    }

    function plusTard(event) {
        var cible = event.target;
        if (!cible || !cible.closest || !cible.closest("#table-simulation")) {
            return;
        }
        if (!/^(delta|mois)_/.test(cible.name || "")) {
            return;
        }
        clearTimeout(minuterie);
        minuterie = setTimeout(recalculer, DELAI);
    }

    document.addEventListener("input", plusTard);
    document.addEventListener("change", plusTard);
})();

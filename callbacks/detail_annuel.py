"""Tab "Détail de la consommation annuelle (en ETP)": one row per AF × year, sorted by gap."""

from __future__ import annotations

from callbacks import detail
from layouts import detail_annuel

TAB_ID = "detail-annuel"

TABLEAU = detail.TableauDetail(TAB_ID, detail_annuel.VUE, detail.donnees_annuelles)
donnees = detail.donnees_annuelles
reponse = TABLEAU.reponse
register = TABLEAU.register

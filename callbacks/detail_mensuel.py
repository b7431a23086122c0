"""Tab "Détail de la consommation mensuelle (en ETP)": one row per AF × conventioned month."""

from __future__ import annotations

from callbacks import detail
from layouts import detail_mensuel

TAB_ID = "detail-mensuel"

TABLEAU = detail.TableauDetail(TAB_ID, detail_mensuel.VUE, detail.donnees_mensuelles)
donnees = detail.donnees_mensuelles
reponse = TABLEAU.reponse
register = TABLEAU.register

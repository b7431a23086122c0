"""Refuse a malformed ``/_dash-update-component`` request with a 400 before Dash reads it.

Dash trusts the shape of the JSON its renderer sends: a request naming a clientside callback's
output, a multi-output of the wrong length, an input list that does not match the callback, or
JSON nested ten thousand levels deep makes Dash itself raise (a 500, a stack trace in the logs,
a worker busy for nothing). Here every request is checked against the app's own callback map —
so callbacks added later are covered without a list to maintain — and against bounds no page
can exceed: body size, nesting depth, string length, integer range, and the type of the few
properties whose type is known whatever the component (``search`` is a string, ``n_clicks`` an
integer, ``sort_by`` a short list...).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

import dash
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from callbacks.bornes import MAX_FILTRE, MAX_RECHERCHE, MAX_TRIS

log = logging.getLogger(__name__)

#: The largest body a page sends is a table callback with its filter: a few kilobytes.
MAX_CORPS = 64 * 1024
#: ``body > inputs > [ALL] > item > value > store > list > dict...``: 8 levels are used.
MAX_PROFONDEUR = 24
MAX_TEXTE = 8_192
MAX_ELEMENTS = 500  # items of one list or object
MAX_ENTIER = 2**53  # beyond, JavaScript could not have produced the number
MAX_ID_PATTERN = 200  # length of one value of a pattern-matching id

WILDCARDS = ("MATCH", "ALL", "ALLSMALLER")
LISTES = ("ALL", "ALLSMALLER")


class Malforme(ValueError):
    """Why a request is refused (logged on one line, never with a stack trace)."""


def _texte(maximum: int):
    def check(value: Any) -> None:
        if value is not None and not isinstance(value, str):
            raise Malforme("texte attendu")
        if value is not None and len(value) > maximum:
            raise Malforme("texte trop long")

    return check


def _entier_naturel(value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Malforme("nombre attendu")
    if not 0 <= value <= 2**31:
        raise Malforme("nombre hors bornes")


def _tris(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list) or len(value) > MAX_TRIS:
        raise Malforme("tri invalide")


#: Properties whose type is the same for every component that has them.
PROPRIETES = {
    "search": _texte(MAX_RECHERCHE),
    "pathname": _texte(MAX_RECHERCHE),
    "hash": _texte(MAX_RECHERCHE),
    "href": _texte(MAX_RECHERCHE),
    "filter_query": _texte(MAX_FILTRE),
    "active_tab": _texte(200),
    "sort_by": _tris,
    "n_clicks": _entier_naturel,
    "page_current": _entier_naturel,
    "page_size": _entier_naturel,
}


def profondeur_excessive(texte: str, maximum: int = MAX_PROFONDEUR) -> bool:
    """True when JSON ``texte`` nests arrays/objects deeper than ``maximum``: one pass over
    the characters, strings skipped, before any parsing (the parser recurses)."""
    niveau = 0
    dans_chaine = False
    echappe = False
    for ch in texte:
        if dans_chaine:
            if echappe:
                echappe = False
            elif ch == "\\":
                echappe = True
            elif ch == '"':
                dans_chaine = False
        elif ch == '"':
            dans_chaine = True
        elif ch in "[{":
            niveau += 1
            if niveau > maximum:
                return True
        elif ch in "]}":
            niveau -= 1
    return False


def _bornes(value: Any) -> None:
    """Every string, number and container of the body within bounds (iterative walk)."""
    pile = [value]
    while pile:
        v = pile.pop()
        if isinstance(v, str):
            if len(v) > MAX_TEXTE:
                raise Malforme("texte trop long")
        elif isinstance(v, bool) or v is None:
            continue
        elif isinstance(v, int):
            if abs(v) > MAX_ENTIER:
                raise Malforme("entier hors bornes")
        elif isinstance(v, float):
            if v != v or abs(v) == float("inf"):  # pragma: no cover - json gives no NaN here
                raise Malforme("nombre invalide")
        elif isinstance(v, list):
            if len(v) > MAX_ELEMENTS:
                raise Malforme("liste trop longue")
            pile.extend(v)
        elif isinstance(v, dict):
            if len(v) > MAX_ELEMENTS:
                raise Malforme("objet trop grand")
            pile.extend(v.values())


def _dependances(dep: Any) -> list[tuple[Any, str]]:
    """``[(id, property)]`` of one Output or a list of them; a pattern id as its dict."""
    deps = dep if isinstance(dep, list | tuple) else [dep]
    out = []
    for d in deps:
        id_str = d.component_id_str()
        out.append((json.loads(id_str) if id_str.startswith("{") else id_str, d.component_property))
    return out


def _valeur_id(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return abs(value) <= MAX_ENTIER
    return isinstance(value, str) and len(value) <= MAX_ID_PATTERN


def _id_concret(pattern: Any, concret: Any) -> None:
    """``concret`` is an id the renderer could send for ``pattern``."""
    if isinstance(pattern, str):
        if concret != pattern:
            raise Malforme("identifiant inattendu")
        return
    if not isinstance(concret, dict) or set(concret) != set(pattern):
        raise Malforme("identifiant inattendu")
    for cle, attendu in pattern.items():
        valeur = concret[cle]
        if isinstance(attendu, list) and attendu and attendu[0] in WILDCARDS:
            if not _valeur_id(valeur):
                raise Malforme("identifiant inattendu")
        elif valeur != attendu:
            raise Malforme("identifiant inattendu")


def _est_liste(pattern: Any) -> bool:
    return isinstance(pattern, dict) and any(
        isinstance(v, list) and v and v[0] in LISTES for v in pattern.values()
    )


def _propriete(envoyee: Any, attendue: str) -> None:
    if not isinstance(envoyee, str) or envoyee.split("@", 1)[0] != attendue:
        raise Malforme("propriété inattendue")


def _item(spec: tuple[Any, str], item: Any, avec_valeur: bool) -> None:
    pattern, prop = spec
    items = item if _est_liste(pattern) else [item]
    if not isinstance(items, list) or len(items) > MAX_ELEMENTS:
        raise Malforme("forme inattendue")
    for one in items:
        if not isinstance(one, dict) or "id" not in one:
            raise Malforme("forme inattendue")
        _id_concret(pattern, one["id"])
        _propriete(one.get("property"), prop)
        if avec_valeur and prop in PROPRIETES:
            PROPRIETES[prop](one.get("value"))


def _liste(specs: list[tuple[Any, str]], items: Any, avec_valeur: bool) -> None:
    if not isinstance(items, list) or len(items) != len(specs):
        raise Malforme("nombre d'entrées inattendu")
    for spec, item in zip(specs, items, strict=True):
        _item(spec, item, avec_valeur)


def verifier(corps: Any, callback_map: Mapping[str, Any]) -> None:
    """Raise :class:`Malforme` unless ``corps`` is a request Dash can serve as written."""
    _bornes(corps)
    if not isinstance(corps, dict):
        raise Malforme("objet attendu")
    cle = corps.get("output")
    spec = callback_map.get(cle) if isinstance(cle, str) else None
    if spec is None:
        raise Malforme("sortie inconnue")
    if "callback" not in spec:
        raise Malforme("callback exécuté dans le navigateur")
    if spec.get("no_output"):
        if corps.get("outputs") not in (None, []):
            raise Malforme("sorties inattendues")
    else:
        sorties = _dependances(spec["output"])
        envoyees = corps.get("outputs")
        if isinstance(spec["output"], list | tuple):
            _liste(sorties, envoyees, avec_valeur=False)
        else:
            _item(sorties[0], envoyees, avec_valeur=False)
    entrees = [(_id(d["id"]), d["property"]) for d in spec["inputs"]]
    etats = [(_id(d["id"]), d["property"]) for d in spec.get("state", [])]
    _liste(entrees, corps.get("inputs"), avec_valeur=True)
    _liste(etats, corps.get("state", []), avec_valeur=True)
    changes = corps.get("changedPropIds", [])
    if not isinstance(changes, list) or len(changes) > MAX_ELEMENTS:
        raise Malforme("changedPropIds invalide")
    if not all(isinstance(c, str) for c in changes):
        raise Malforme("changedPropIds invalide")


def _id(id_str: str) -> Any:
    return json.loads(id_str) if id_str.startswith("{") else id_str


def _refus(raison: str, status: int = 400) -> tuple[Response, int]:
    log.info("requête Dash refusée (%s) : %s", status, raison)
    return jsonify({"erreur": "requête invalide", "raison": raison}), status


def install(server: Flask, dash_app: dash.Dash) -> None:
    """Check every callback request of ``dash_app`` before Dash dispatches it (after the
    authentication guard, so an anonymous request still gets its 401 first)."""
    chemin = dash_app.config.routes_pathname_prefix + "_dash-update-component"

    @server.before_request
    def _verifier_requete_dash() -> tuple[Response, int] | None:
        if request.path != chemin or request.method != "POST":
            return None
        request.max_content_length = MAX_CORPS
        try:
            brut = request.get_data(cache=True)
        except HTTPException as exc:  # 413: larger than MAX_CORPS
            return _refus("corps trop grand", exc.code or 413)
        try:
            texte = brut.decode("utf-8")
        except UnicodeDecodeError:
            return _refus("corps illisible")
        if profondeur_excessive(texte):
            return _refus("JSON trop imbriqué")
        corps = request.get_json(silent=True)
        if corps is None:
            return _refus("JSON invalide")
        try:
            verifier(corps, dash_app.callback_map)
        except Malforme as exc:
            return _refus(str(exc))
        return None

"""Where the demo structures are: départements, their weight, and a few real communes each.

Communes carry their INSEE code so that a structure's address is consistent with its
département (the code starts with the département code). Weights roughly follow how many SIAE a
département has, so Ille-et-Vilaine or Haute-Garonne get more structures than Lozère.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Commune:
    nom: str
    code_insee: str
    code_postal: str


#: département -> (weight, communes). Bretagne, Occitanie, then a handful elsewhere.
DEPARTEMENTS: dict[str, tuple[int, tuple[Commune, ...]]] = {
    # Bretagne
    "22": (
        8,
        (
            Commune("Saint-Brieuc", "22278", "22000"),
            Commune("Lannion", "22113", "22300"),
            Commune("Dinan", "22050", "22100"),
            Commune("Guingamp", "22070", "22200"),
        ),
    ),
    "29": (
        11,
        (
            Commune("Brest", "29019", "29200"),
            Commune("Quimper", "29232", "29000"),
            Commune("Morlaix", "29151", "29600"),
            Commune("Concarneau", "29039", "29900"),
            Commune("Audierne", "29003", "29770"),
        ),
    ),
    "35": (
        12,
        (
            Commune("Rennes", "35238", "35000"),
            Commune("Saint-Malo", "35288", "35400"),
            Commune("Fougères", "35115", "35300"),
            Commune("Vitré", "35360", "35500"),
            Commune("Redon", "35236", "35600"),
        ),
    ),
    "56": (
        9,
        (
            Commune("Vannes", "56260", "56000"),
            Commune("Lorient", "56121", "56100"),
            Commune("Pontivy", "56178", "56300"),
            Commune("Auray", "56007", "56400"),
        ),
    ),
    # Occitanie
    "09": (
        3,
        (
            Commune("Foix", "09122", "09000"),
            Commune("Pamiers", "09225", "09100"),
            Commune("Saint-Girons", "09261", "09200"),
        ),
    ),
    "11": (
        6,
        (
            Commune("Carcassonne", "11069", "11000"),
            Commune("Narbonne", "11262", "11100"),
            Commune("Limoux", "11206", "11300"),
            Commune("Castelnaudary", "11076", "11400"),
        ),
    ),
    "12": (
        5,
        (
            Commune("Rodez", "12202", "12000"),
            Commune("Millau", "12145", "12100"),
            Commune("Villefranche-de-Rouergue", "12300", "12200"),
            Commune("Decazeville", "12089", "12300"),
        ),
    ),
    "30": (
        9,
        (
            Commune("Nîmes", "30189", "30000"),
            Commune("Alès", "30007", "30100"),
            Commune("Bagnols-sur-Cèze", "30028", "30200"),
        ),
    ),
    "31": (
        14,
        (
            Commune("Toulouse", "31555", "31000"),
            Commune("Muret", "31395", "31600"),
            Commune("Saint-Gaudens", "31483", "31800"),
            Commune("Colomiers", "31149", "31770"),
        ),
    ),
    "32": (
        3,
        (
            Commune("Auch", "32013", "32000"),
            Commune("Condom", "32107", "32100"),
            Commune("Fleurance", "32132", "32500"),
        ),
    ),
    "34": (
        12,
        (
            Commune("Montpellier", "34172", "34000"),
            Commune("Béziers", "34032", "34500"),
            Commune("Sète", "34301", "34200"),
            Commune("Lodève", "34142", "34700"),
        ),
    ),
    "46": (
        3,
        (
            Commune("Cahors", "46042", "46000"),
            Commune("Figeac", "46102", "46100"),
            Commune("Gourdon", "46127", "46300"),
        ),
    ),
    "48": (
        2,
        (
            Commune("Mende", "48095", "48000"),
            Commune("Marvejols", "48092", "48100"),
        ),
    ),
    "65": (
        4,
        (
            Commune("Tarbes", "65440", "65000"),
            Commune("Lourdes", "65286", "65100"),
            Commune("Bagnères-de-Bigorre", "65059", "65200"),
        ),
    ),
    "66": (
        6,
        (
            Commune("Perpignan", "66136", "66000"),
            Commune("Prades", "66149", "66500"),
            Commune("Céret", "66049", "66400"),
        ),
    ),
    "81": (
        6,
        (
            Commune("Albi", "81004", "81000"),
            Commune("Castres", "81065", "81100"),
            Commune("Gaillac", "81099", "81600"),
            Commune("Mazamet", "81163", "81200"),
        ),
    ),
    "82": (
        4,
        (
            Commune("Montauban", "82121", "82000"),
            Commune("Castelsarrasin", "82033", "82100"),
            Commune("Moissac", "82112", "82200"),
        ),
    ),
    # Elsewhere
    "75": (5, (Commune("Paris", "75056", "75018"),)),
    "59": (
        6,
        (
            Commune("Lille", "59350", "59000"),
            Commune("Roubaix", "59512", "59100"),
            Commune("Dunkerque", "59183", "59140"),
        ),
    ),
    "13": (
        5,
        (
            Commune("Marseille", "13055", "13003"),
            Commune("Arles", "13004", "13200"),
            Commune("Aix-en-Provence", "13001", "13100"),
        ),
    ),
    "69": (
        4,
        (
            Commune("Lyon", "69123", "69007"),
            Commune("Villeurbanne", "69266", "69100"),
            Commune("Vénissieux", "69259", "69200"),
        ),
    ),
    "971": (
        3,
        (
            Commune("Pointe-à-Pitre", "97120", "97110"),
            Commune("Les Abymes", "97101", "97139"),
            Commune("Basse-Terre", "97105", "97100"),
        ),
    ),
}


def numero_departement(code: str) -> str:
    """The 3-character département of an AF number: ``35`` -> ``035``, ``971`` -> ``971``."""
    return code.zfill(3)

"""Every département of France for the national-scale demo: a weight and at least one commune.

The départements of :data:`etp.demo.places.DEPARTEMENTS` keep their communes; every other one
gets its préfecture (real name, INSEE code and postal code). Weights roughly follow the
population (hundreds of thousands of inhabitants, at least 1), so that the Nord or Paris hold
more structures than the Lozère, as SIAE do. The collectivités without a région (975, 977, 978)
have no SIAE convention in the product's scope and are left out.
"""

from __future__ import annotations

from etp.demo.places import DEPARTEMENTS, Commune
from etp.referentiel import departements

#: département -> (weight, préfecture, INSEE code, postal code)
_PREFECTURES: dict[str, tuple[int, str, str, str]] = {
    "01": (7, "Bourg-en-Bresse", "01053", "01000"),
    "02": (5, "Laon", "02408", "02000"),
    "03": (3, "Moulins", "03190", "03000"),
    "04": (2, "Digne-les-Bains", "04070", "04000"),
    "05": (1, "Gap", "05061", "05000"),
    "06": (11, "Nice", "06088", "06000"),
    "07": (3, "Privas", "07186", "07000"),
    "08": (3, "Charleville-Mézières", "08105", "08000"),
    "09": (2, "Foix", "09122", "09000"),
    "10": (3, "Troyes", "10387", "10000"),
    "11": (4, "Carcassonne", "11069", "11000"),
    "12": (3, "Rodez", "12202", "12000"),
    "13": (20, "Marseille", "13055", "13001"),
    "14": (7, "Caen", "14118", "14000"),
    "15": (1, "Aurillac", "15014", "15000"),
    "16": (4, "Angoulême", "16015", "16000"),
    "17": (7, "La Rochelle", "17300", "17000"),
    "18": (3, "Bourges", "18033", "18000"),
    "19": (2, "Tulle", "19272", "19000"),
    "21": (5, "Dijon", "21231", "21000"),
    "22": (6, "Saint-Brieuc", "22278", "22000"),
    "23": (1, "Guéret", "23096", "23000"),
    "24": (4, "Périgueux", "24322", "24000"),
    "25": (5, "Besançon", "25056", "25000"),
    "26": (5, "Valence", "26362", "26000"),
    "27": (6, "Évreux", "27229", "27000"),
    "28": (4, "Chartres", "28085", "28000"),
    "29": (9, "Quimper", "29232", "29000"),
    "2A": (2, "Ajaccio", "2A004", "20000"),
    "2B": (2, "Bastia", "2B033", "20200"),
    "30": (7, "Nîmes", "30189", "30000"),
    "31": (14, "Toulouse", "31555", "31000"),
    "32": (2, "Auch", "32013", "32000"),
    "33": (16, "Bordeaux", "33063", "33000"),
    "34": (12, "Montpellier", "34172", "34000"),
    "35": (11, "Rennes", "35238", "35000"),
    "36": (2, "Châteauroux", "36044", "36000"),
    "37": (6, "Tours", "37261", "37000"),
    "38": (13, "Grenoble", "38185", "38000"),
    "39": (3, "Lons-le-Saunier", "39300", "39000"),
    "40": (4, "Mont-de-Marsan", "40192", "40000"),
    "41": (3, "Blois", "41018", "41000"),
    "42": (8, "Saint-Étienne", "42218", "42000"),
    "43": (2, "Le Puy-en-Velay", "43157", "43000"),
    "44": (14, "Nantes", "44109", "44000"),
    "45": (7, "Orléans", "45234", "45000"),
    "46": (2, "Cahors", "46042", "46000"),
    "47": (3, "Agen", "47001", "47000"),
    "48": (1, "Mende", "48095", "48000"),
    "49": (8, "Angers", "49007", "49000"),
    "50": (5, "Saint-Lô", "50502", "50000"),
    "51": (6, "Châlons-en-Champagne", "51108", "51000"),
    "52": (2, "Chaumont", "52121", "52000"),
    "53": (3, "Laval", "53130", "53000"),
    "54": (7, "Nancy", "54395", "54000"),
    "55": (2, "Bar-le-Duc", "55029", "55000"),
    "56": (8, "Vannes", "56260", "56000"),
    "57": (10, "Metz", "57463", "57000"),
    "58": (2, "Nevers", "58194", "58000"),
    "59": (26, "Lille", "59350", "59000"),
    "60": (8, "Beauvais", "60057", "60000"),
    "61": (3, "Alençon", "61001", "61000"),
    "62": (15, "Arras", "62041", "62000"),
    "63": (7, "Clermont-Ferrand", "63113", "63000"),
    "64": (7, "Pau", "64445", "64000"),
    "65": (2, "Tarbes", "65440", "65000"),
    "66": (5, "Perpignan", "66136", "66000"),
    "67": (11, "Strasbourg", "67482", "67000"),
    "68": (8, "Colmar", "68066", "68000"),
    "69": (19, "Lyon", "69123", "69001"),
    "70": (2, "Vesoul", "70550", "70000"),
    "71": (5, "Mâcon", "71270", "71000"),
    "72": (6, "Le Mans", "72181", "72000"),
    "73": (4, "Chambéry", "73065", "73000"),
    "74": (8, "Annecy", "74010", "74000"),
    "75": (21, "Paris", "75056", "75001"),
    "76": (12, "Rouen", "76540", "76000"),
    "77": (14, "Melun", "77288", "77000"),
    "78": (14, "Versailles", "78646", "78000"),
    "79": (4, "Niort", "79191", "79000"),
    "80": (6, "Amiens", "80021", "80000"),
    "81": (4, "Albi", "81004", "81000"),
    "82": (3, "Montauban", "82121", "82000"),
    "83": (11, "Toulon", "83137", "83000"),
    "84": (6, "Avignon", "84007", "84000"),
    "85": (7, "La Roche-sur-Yon", "85191", "85000"),
    "86": (4, "Poitiers", "86194", "86000"),
    "87": (4, "Limoges", "87085", "87000"),
    "88": (4, "Épinal", "88160", "88000"),
    "89": (3, "Auxerre", "89024", "89000"),
    "90": (1, "Belfort", "90010", "90000"),
    "91": (13, "Évry-Courcouronnes", "91228", "91000"),
    "92": (16, "Nanterre", "92050", "92000"),
    "93": (17, "Bobigny", "93008", "93000"),
    "94": (14, "Créteil", "94028", "94000"),
    "95": (12, "Cergy", "95127", "95000"),
    "971": (4, "Basse-Terre", "97105", "97100"),
    "972": (4, "Fort-de-France", "97209", "97200"),
    "973": (3, "Cayenne", "97302", "97300"),
    "974": (9, "Saint-Denis", "97411", "97400"),
    "976": (3, "Mamoudzou", "97611", "97600"),
}


def departements_france() -> dict[str, tuple[int, tuple[Commune, ...]]]:
    """Every département with a région, in the referential's order: (weight, communes)."""
    lieux: dict[str, tuple[int, tuple[Commune, ...]]] = {}
    for code, (_libelle, region) in departements().items():
        if region is None:
            continue
        poids, nom, insee, postal = _PREFECTURES[code]
        communes = DEPARTEMENTS[code][1] if code in DEPARTEMENTS else (Commune(nom, insee, postal),)
        lieux[code] = (poids, communes)
    return lieux

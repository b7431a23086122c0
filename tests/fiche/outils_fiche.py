"""Reading the structure page's HTML in tests (standard library parser, no extra package)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tableaux(HTMLParser):
    """Every <table>: its class attribute and rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tableaux: list[tuple[str, list[list[str]]]] = []
        self._cellule: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tableaux.append((dict(attrs).get("class") or "", []))
        elif tag == "tr" and self.tableaux:
            self.tableaux[-1][1].append([])
        elif tag in ("td", "th"):
            self._cellule = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cellule is not None and self.tableaux:
            self.tableaux[-1][1][-1].append("".join(self._cellule).strip())
            self._cellule = None

    def handle_data(self, data):
        if self._cellule is not None:
            self._cellule.append(data)


def tableaux(html: str) -> list[tuple[str, list[list[str]]]]:
    parser = _Tableaux()
    parser.feed(html)
    return parser.tableaux


def chiffres_annuels(html: str) -> dict[int, dict[str, str]]:
    """The annual figures table: ``{year: {row title: cell text}}``."""
    for classe, lignes in tableaux(html):
        if "tableau-chiffres" in classe:
            entete, *corps = lignes
            annees = [int(a) for a in entete[1:]]
            return {a: {ligne[0]: ligne[i + 1] for ligne in corps} for i, a in enumerate(annees)}
    raise AssertionError("no annual figures table in the page")

"""Placeholder page until the dashboard lands."""

from dash import html


def layout() -> html.Div:
    return html.Div(
        [html.H1("Suivi ETP"), html.P("Suivi des effectifs annuels et mensuels en ETP.")],
        className="container py-4",
    )

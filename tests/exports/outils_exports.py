"""Helpers of the export tests: decode a ``dcc.Download`` answer and read what it holds."""

from __future__ import annotations

import base64
import io
from typing import Any

import openpyxl


def contenu(download: dict[str, Any]) -> bytes:
    """The bytes of a ``dcc.Download`` answer (``dcc.send_bytes`` encodes them in base64)."""
    assert download["base64"] is True
    return base64.b64decode(download["content"])


def classeur(download: dict[str, Any]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(contenu(download)))


def tous_les_textes(wb: openpyxl.Workbook) -> str:
    """Every cell of every sheet as one text, to look for what must not be there."""
    return "\n".join(
        str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )

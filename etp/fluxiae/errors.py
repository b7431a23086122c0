"""The one error the importer raises: where (file, line, column) and what, in French."""

from __future__ import annotations


class FluxIAEError(Exception):
    """A fluxIAE file refused by validation.

    ``line`` is the physical line in the decompressed file, 1-based, counting the ``DEB`` line;
    ``column`` is the header name (or ``fichier`` / ``en-tête`` / ``FIN`` for whole-file,
    header and trailer problems). ``str()`` is ``file:line: column: message``, the form the CLI
    prints and editors can jump to.
    """

    def __init__(self, path: str, line: int, column: str, message: str) -> None:
        super().__init__(path, line, column, message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.message}"

"""Generate the demo files and load them through the real importer."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from etp.demo.generator import generate_files
from etp.demo.model import DemoConfig, Population
from etp.fluxiae import ImportReport, import_paths

Generate = Callable[[DemoConfig, Path], tuple[Population, list[Path]]]


def load_demo(
    engine: Engine,
    config: DemoConfig,
    keep_files: Path | None = None,
    generate: Generate = generate_files,
) -> tuple[Population, list[Path], ImportReport]:
    """Write the demo fluxIAE files and import them with :func:`etp.fluxiae.import_paths`.

    Going through the importer (rather than inserting rows) is the point: the demo exercises the
    production path, version rules and aggregation included. Files go to ``keep_files`` when
    given, else to a temporary directory removed afterwards. Running it again with the same
    config imports nothing new (the importer recognises the files by checksum). ``generate``
    writes the files (:func:`etp.demo.national.generate_national` at national scale).
    """
    if keep_files is not None:
        population, paths = generate(config, Path(keep_files))
        return population, paths, import_paths(engine, paths)
    with tempfile.TemporaryDirectory(prefix="suivi-etp-demo-") as tmp:
        population, paths = generate(config, Path(tmp))
        return population, paths, import_paths(engine, paths)

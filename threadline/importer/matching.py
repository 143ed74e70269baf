"""After a file of people is written: match its new records against the people known.

Runs in a transaction of its own once the file is written, so a failure here never
loses the import: it is reported as a warning on the result, and the next full
`threadline resolve run` resolves the records instead. A region that has never been
resolved (no stored model) imports exactly as before.
"""

from __future__ import annotations

import logging

from threadline.importer.file_import import FileImport
from threadline.resolve.incremental import resolve_new
from threadline.storage.db import session_scope

logger = logging.getLogger(__name__)


def match_new_people(file: FileImport) -> None:
    """Match the people the file wrote (`resolve.incremental`), noting it on the result."""
    if not file.written:
        return
    try:
        with session_scope(file.engine) as session:
            summary = resolve_new(session, file.written, actor=file.options.actor)
    except Exception as exc:  # the import is written: say matching failed, never undo it
        logger.exception("matching %s against resolved people failed", file.path.name)
        file.result.warnings.append(
            f"people written but not matched against people already known ({exc}); "
            "run `threadline resolve run` to resolve them"
        )
        return
    if summary.model_version is not None and summary.new_records:
        file.result.matching = summary.message

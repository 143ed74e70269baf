"""One file's import as it goes: what every step of it reads and adds to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from threadline.importer.permits import Permits
from threadline.importer.problems import Problems
from threadline.importer.records import Pending, Reference
from threadline.importer.result import ImportResult, Progress
from threadline.model.security import Actor
from threadline.policy import PolicyContext
from threadline.settings import Settings


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What every file of one import shares: who imports, for whom, and how."""

    kind: str | None
    owner: str | None
    dry_run: bool
    settings: Settings
    actor: Actor
    ctx: PolicyContext


@dataclass(slots=True)
class FileImport:
    """The state of importing one file: checked (`checking`), then written (`writing`).

    `pending` is kept by dry runs of several files (what earlier files would add);
    `reference` and `permits` are read when checking begins, and used again to write.
    """

    engine: Engine
    path: Path
    options: ImportOptions
    progress: Progress | None
    pending: Pending | None
    problems: Problems = field(init=False)
    result: ImportResult = field(init=False)
    reference: Reference | None = None
    permits: Permits | None = None
    sha256: str | None = None  # of the file, once read for its first audit event
    written: list[int] = field(default_factory=list)  # entity ids written, once written

    def __post_init__(self) -> None:
        self.problems = Problems(self.path.name, self.options.settings.import_max_errors)
        self.result = ImportResult(path=self.path, kind=None, dry_run=self.options.dry_run)

    @property
    def dry_run(self) -> bool:
        return self.options.dry_run

    @property
    def settings(self) -> Settings:
        return self.options.settings

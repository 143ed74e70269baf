"""What every command needs: settings, an engine on the chosen database, and output."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from sqlalchemy import Engine

from threadline.audit.keys import use_chain_key
from threadline.errors import ConfigurationError
from threadline.settings import Settings, load_settings
from threadline.storage.db import current_revision, make_engine

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


@dataclass
class CliState:
    """Carried in the Typer context: the --db given (or None) and lazily built objects."""

    db: str | None = None
    _settings: Settings | None = None
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(database_url=self.db)
        return self._settings

    def engine(self, *, require_schema: bool = True) -> Engine:
        """The engine; by default refuses a database that `threadline init` has not set up."""
        url = self.settings.database_url
        not_set_up = ConfigurationError(
            f"the database {url!r} is not set up; run `threadline init` "
            "(or `threadline demo`) first, or give another with --db"
        )
        if require_schema and "://" not in url and not Path(url).exists():
            raise not_set_up  # do not leave an empty SQLite file behind
        if self._engine is None:
            self._engine = make_engine(url)
            use_chain_key(self._engine, self.settings.chain_key())
        if require_schema and current_revision(self._engine) is None:
            raise not_set_up
        return self._engine


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def print_json(data: Any) -> None:
    """Machine output: JSON on stdout, nothing else."""
    typer.echo(json.dumps(data, indent=2, sort_keys=False, default=str))

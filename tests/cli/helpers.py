"""Running the installed `threadline` entry point in-process, as a shell would."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import Engine

from threadline.cli.main import main


def threadline(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int | str | None, str, str]:
    """Run the installed entry point in-process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["threadline", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def db_of(engine: Engine) -> str:
    """The `--db` value that names the engine's database (SQLite path or server URL)."""
    if engine.url.get_backend_name() == "sqlite":
        return engine.url.database or ""
    return engine.url.render_as_string(hide_password=False)

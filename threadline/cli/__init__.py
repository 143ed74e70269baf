"""The `threadline` command: a thin Typer shell over the services."""

"""The ``ketenbeeld`` command line: one Typer app, one sub-command group per domain."""

from ketenbeeld.cli.app import app, main

__all__ = ["app", "main"]

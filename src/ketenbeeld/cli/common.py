"""What every command shares: settings and engine from the context, error rendering."""

from __future__ import annotations

import functools
import getpass
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.text import Text

from ketenbeeld.errors import ConfigError, InputError, KetenbeeldError, ValidationFailed

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ketenbeeld.settings import Settings

__all__ = [
    "LOOPBACK",
    "BatchEngine",
    "SparkMaster",
    "State",
    "TlsCert",
    "TlsKey",
    "err_console",
    "guarded",
    "out_console",
    "progress_bar",
    "state",
    "tls_options",
]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
"""Addresses only this machine can reach: a service may listen there without TLS."""

TlsCert = Annotated[
    Path | None,
    typer.Option("--tls-cert", help="Serve HTTPS with this certificate (PEM) and --tls-key."),
]
TlsKey = Annotated[
    Path | None,
    typer.Option("--tls-key", help="The certificate's private key (PEM, readable by you only)."),
]


class BatchEngine(StrEnum):
    """Where batch work runs: this process, or Apache Spark (the same results)."""

    local = "local"
    spark = "spark"


SparkMaster = Annotated[
    str,
    typer.Option(
        "--master",
        help="Spark master URL for --engine spark: local[*], spark://HOST:7077, yarn, ...",
    ),
]

out_console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class State:
    """Per-invocation state: global options, settings and a lazily made engine."""

    overrides: dict[str, Any] = field(default_factory=dict)
    _settings: Settings | None = None
    _engine: Engine | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            # Imported here: pydantic-settings costs a tenth of a second at start-up,
            # and commands that need no settings (encode, link) never load it.
            from ketenbeeld.settings import get_settings

            self._settings = get_settings(**self.overrides)
            logging.basicConfig(level=self._settings.log_level.upper())
        return self._settings

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from ketenbeeld.storage import make_engine  # SQLAlchemy + Alembic: load on use

            self._engine = make_engine(self.settings.effective_database_url)
        return self._engine

    @property
    def actor(self) -> str:
        try:
            return f"cli:{getpass.getuser()}"
        except (KeyError, OSError):
            return "cli:unknown"


def state(ctx: typer.Context) -> State:
    """The :class:`State` of this invocation (made by the root callback)."""
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Turn Ketenbeeld errors into one clear message and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except KetenbeeldError as exc:
            err_console.print(Text("Error: ", style="bold red") + Text(exc.message))
            if isinstance(exc, ValidationFailed):
                for problem in exc.problems:
                    err_console.print(Text(f"  - {problem}"))
            if exc.hint:
                err_console.print(Text(f"Hint: {exc.hint}", style="dim"))
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def progress_bar() -> Progress:
    """A progress bar on stderr for long work (add tasks with a description and a total)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
        # No bar when stderr is a pipe or a file: it would only leave blank lines.
        disable=not err_console.is_terminal,
    )


def tls_options(
    host: str, cert: Path | None, key: Path | None, *, what: str, carries: str
) -> tuple[str | None, str | None]:
    """uvicorn's TLS files (certificate, key); refuse clear text off this machine.

    Args:
        host: the address the service listens on.
        cert: the certificate file (``--tls-cert``), or None.
        key: its private key file (``--tls-key``), or None.
        what: the service, for messages ("the hub").
        carries: the secrets that travel in its requests ("API tokens").

    Raises:
        InputError: only one of the two files is given, or one is missing.
        ConfigError: no TLS on an address other machines can reach, or a private
            key that other users can read.
    """
    from ketenbeeld.signals.keys import require_private_file

    if (cert is None) != (key is None):
        raise InputError("give both --tls-cert and --tls-key, or neither")
    if cert is None or key is None:
        if host not in LOOPBACK:
            raise ConfigError(
                f"{what} would receive {carries} in clear text on {host}",
                hint="give --tls-cert and --tls-key, or listen on 127.0.0.1 behind a proxy "
                "that terminates TLS",
            )
        return None, None
    for path in (cert, key):
        if not path.is_file():
            raise InputError(f"the TLS file {path} does not exist")
    require_private_file(key, "TLS key file")
    return str(cert), str(key)

"""One error hierarchy for the whole package.

Domain code raises these; the CLI prints them as one clear line (exit code 2 for
bad input) and the web layer turns them into one JSON error shape. Messages say
*where* (file, row, field) and *what is allowed*; they never contain the value
that was wrong, because that value may be personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AuthError",
    "ConfigError",
    "ConflictError",
    "InputError",
    "KetenbeeldError",
    "NotFoundError",
    "Problem",
    "StorageError",
    "ValidationFailed",
]


class KetenbeeldError(Exception):
    """Base class of every error this package raises on purpose.

    Attributes:
        exit_code: the CLI's exit status for this kind of error.
        hint: an optional next step for the user.
    """

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(KetenbeeldError):
    """The user's input (a file, an option) cannot be used."""

    exit_code = 2


class ConfigError(KetenbeeldError):
    """Settings, codebooks or other configuration data are invalid."""

    exit_code = 2


class AuthError(KetenbeeldError):
    """The caller is not authenticated (no, an unknown or a revoked token)."""

    exit_code = 2


class NotFoundError(KetenbeeldError):
    """The object does not exist *or the caller may not see it*: both look the same."""

    exit_code = 2


class ConflictError(KetenbeeldError):
    """The request is valid but not in the object's present state (e.g. a closed match)."""

    exit_code = 2


class StorageError(KetenbeeldError):
    """The database cannot be opened, migrated or written."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely and without its value.

    Args:
        source: the file name (or another source label).
        location: record or row, e.g. ``"row 4"`` or ``"record 2"``; empty for the whole file.
        field: the field's path, e.g. ``"victims.V1.gender"``; empty if not about a field.
        message: what is wrong and what is allowed.
    """

    source: str
    location: str
    field: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.source, self.location) if part)
        if self.field:
            where = f"{where}, field {self.field}" if where else f"field {self.field}"
        return f"{where}: {self.message}" if where else self.message


class ValidationFailed(InputError):
    """Input failed validation; :attr:`problems` lists every problem found."""

    def __init__(
        self, problems: Iterable[Problem], *, what: str = "", hint: str | None = None
    ) -> None:
        self.problems: Sequence[Problem] = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        message = f"{count} {noun} found"
        super().__init__(f"{message}; {what}" if what else message, hint=hint)

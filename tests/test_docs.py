"""Every CLI command and every setting is documented in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import typer

from ketenbeeld.cli import app
from ketenbeeld.settings import Settings

DOCS = Path(__file__).parent.parent / "docs" / "cli.md"
README = Path(__file__).parent.parent / "README.md"


def _commands(group, prefix: str = "ketenbeeld") -> list:
    # Typer ships its own copy of Click: recognise groups by their sub-commands.
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            found.extend(_commands(command, path))
        else:
            found.append((path, command))
    return found


def test_every_command_and_option_is_documented():
    root = typer.main.get_command(app)
    docs = DOCS.read_text(encoding="utf-8")
    commands = _commands(root)
    assert len(commands) >= 7
    for path, command in commands:
        heading = f"## `{path}"
        assert heading in docs, f"{path} has no section in docs/cli.md"
        section = docs.split(heading, 1)[1].split("\n## ", 1)[0]
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in section, f"{path} {option} is not documented"


def test_every_setting_is_documented():
    docs = DOCS.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name}`" in docs, name
        assert f"`KETENBEELD_{name.upper()}`" in docs, name


def test_readme_test_command_is_what_ci_runs():
    readme = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert command.startswith("pip install")
    assert command in readme

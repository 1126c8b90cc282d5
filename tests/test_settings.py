"""Settings come from keyword overrides, KETENBEELD_* variables and ketenbeeld.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketenbeeld.errors import ConfigError
from ketenbeeld.settings import get_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in (
        "KETENBEELD_DATABASE_URL",
        "KETENBEELD_DATA_DIR",
        "KETENBEELD_LANG",
        "KETENBEELD_MIN_CELL",
        "KETENBEELD_CONFIG",
        "KETENBEELD_LOG_LEVEL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_give_sqlite_in_the_workspace(tmp_path):
    settings = get_settings()
    assert settings.lang == "nl"
    assert settings.min_cell == 0
    assert (
        settings.effective_database_url
        == f"sqlite:///{tmp_path / 'ketenbeeld-data' / 'ketenbeeld.db'}"
    )


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("KETENBEELD_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:5432/k")
    monkeypatch.setenv("KETENBEELD_MIN_CELL", "5")
    settings = get_settings()
    assert settings.effective_database_url == "postgresql+psycopg://u@127.0.0.1:5432/k"
    assert settings.min_cell == 5


def test_toml_file_in_working_directory(tmp_path, monkeypatch):
    (tmp_path / "ketenbeeld.toml").write_text('lang = "en"\nmin_cell = 3\n')
    monkeypatch.setenv("KETENBEELD_MIN_CELL", "4")
    settings = get_settings()
    assert (settings.lang, settings.min_cell) == ("en", 4)  # environment beats the file


def test_config_file_named_by_environment(tmp_path, monkeypatch):
    config = tmp_path / "elsewhere.toml"
    config.write_text(f'data_dir = "{tmp_path / "ws"}"\n')
    monkeypatch.setenv("KETENBEELD_CONFIG", str(config))
    assert get_settings().data_dir == Path(tmp_path / "ws")


def test_missing_config_file(monkeypatch):
    monkeypatch.setenv("KETENBEELD_CONFIG", "/nonexistent/ketenbeeld.toml")
    with pytest.raises(ConfigError, match=r"KETENBEELD_CONFIG names /nonexistent/ketenbeeld\.toml"):
        get_settings()


def test_invalid_values_are_named(monkeypatch):
    monkeypatch.setenv("KETENBEELD_LANG", "de")
    monkeypatch.setenv("KETENBEELD_MIN_CELL", "-1")
    with pytest.raises(ConfigError) as info:
        get_settings()
    assert str(info.value) == (
        "invalid settings: lang: must be 'nl' or 'en'; "
        "min_cell: Input should be greater than or equal to 0"
    )


def test_unknown_setting_in_file(tmp_path):
    (tmp_path / "ketenbeeld.toml").write_text('databse_url = "x"\n')
    with pytest.raises(ConfigError, match="databse_url: Extra inputs are not permitted"):
        get_settings()

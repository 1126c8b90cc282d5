"""Settings: one pydantic-settings object, built by :func:`get_settings`.

Values come, in order of precedence, from keyword arguments, environment variables
prefixed ``KETENBEELD_`` and a ``ketenbeeld.toml`` file (in the working directory,
or the file named by ``KETENBEELD_CONFIG``). Nothing is read at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from ketenbeeld.errors import ConfigError

__all__ = ["Settings", "get_settings"]

DEFAULT_CONFIG_FILE = "ketenbeeld.toml"


class Settings(BaseSettings):
    """Every setting of Ketenbeeld, with its default.

    Attributes:
        data_dir: workspace folder; holds the SQLite database unless ``database_url`` is set.
        database_url: SQLAlchemy URL; ``postgresql+psycopg://...`` for a deployment.
        lang: default language of reports and messages for people, ``nl`` or ``en``.
        min_cell: default small-cell suppression threshold for statistics (0 = none).
        log_level: Python logging level name for the package's loggers.
        hub_schema: the linkage schema the hub accepts (built-in name or a YAML file;
            the hub reads only its public layout and weights).
        hub_threshold: the least similarity at which the hub matches two signals.
        hub_active_months: months a signal is matched after registration.
        hub_keep_months: months after registration when a signal is deleted.
    """

    model_config = SettingsConfigDict(env_prefix="KETENBEELD_", extra="forbid")

    data_dir: Path = Field(default=Path("ketenbeeld-data"))
    database_url: str | None = None
    lang: str = "nl"
    min_cell: int = Field(default=0, ge=0)
    log_level: str = "WARNING"
    hub_schema: str = "dutch-person"
    hub_threshold: float = Field(default=0.8, gt=0.0, le=1.0)
    hub_active_months: int = Field(default=24, ge=1)
    hub_keep_months: int = Field(default=60, ge=1)

    @field_validator("lang")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("nl", "en"):
            raise ValueError("must be 'nl' or 'en'")
        return value

    @property
    def effective_database_url(self) -> str:
        """The database URL in force: the configured one, else SQLite in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ketenbeeld.db').resolve()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = Path(os.environ.get("KETENBEELD_CONFIG", DEFAULT_CONFIG_FILE))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file),
        )


def get_settings(**overrides: Any) -> Settings:
    """Build the settings from keyword overrides, the environment and ``ketenbeeld.toml``.

    Raises:
        ConfigError: a setting has an invalid value, naming the setting and what is allowed.

    Example:
        >>> get_settings(lang="en").lang
        'en'
    """
    config_file = os.environ.get("KETENBEELD_CONFIG")
    if config_file and not Path(config_file).is_file():
        raise ConfigError(
            f"KETENBEELD_CONFIG names {config_file}, which is not a file",
            hint="point it at a ketenbeeld.toml or unset it",
        )
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        )
        raise ConfigError(
            f"invalid settings: {problems}",
            hint="check the KETENBEELD_* environment variables and ketenbeeld.toml",
        ) from None

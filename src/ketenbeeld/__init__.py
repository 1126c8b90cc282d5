"""Ketenbeeld: a picture shared by the chain against sexual exploitation.

Three domains live in this package: :mod:`ketenbeeld.cases` (coded investigation
files and their research statistics), ``signals`` and ``online`` (later issues).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ketenbeeld")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]

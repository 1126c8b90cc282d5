"""The chain key: one secret shared by the chain's organisations, never by the hub.

Every organisation encodes with the same 32-byte chain key, so that the encodings
of the same person agree. The hub never receives it: without the key nobody can
compute the encoding of a candidate name, which is what makes the encodings
cryptographic long-term keys (Schnell et al. 2009) rather than plain Bloom filters.

The key file is JSON, readable only by its owner (mode 0600)::

    {"kind": "ketenbeeld-chain-key", "version": 1, "key": "<base64>", "created": "<ISO UTC>"}

Purpose keys are derived from the chain key with HKDF-SHA256 (RFC 5869) and the
info string ``ketenbeeld/v1/<purpose>``: ``field/<name>`` for each schema field's
section and ``bsn`` for the exact BSN hash. Separate keys per purpose mean that one
field's bits cannot be correlated with another's through a shared key.

Nothing in this module prints or logs key material.
"""

from __future__ import annotations

import base64
import binascii
import errno
import json
import logging
import os
import secrets
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ketenbeeld.errors import ConfigError, InputError

__all__ = [
    "KEY_BYTES",
    "KEY_KIND",
    "derive_key",
    "generate_chain_key",
    "read_key_file",
    "read_service_key",
    "require_private_file",
    "write_key_file",
]

logger = logging.getLogger(__name__)

KEY_BYTES = 32
KEY_KIND = "ketenbeeld-chain-key"
_KEY_VERSION = 1
_INFO_PREFIX = b"ketenbeeld/v1/"
_KEYGEN_HINT = "create one with `ketenbeeld signals keygen --out FILE` and share it out of band"


def generate_chain_key() -> bytes:
    """A new random chain key of 32 bytes from the operating system's CSPRNG.

    Example:
        >>> len(generate_chain_key())
        32
    """
    return secrets.token_bytes(KEY_BYTES)


def write_key_file(
    path: Path | str, key: bytes, *, overwrite: bool = False, demo: bool = False
) -> None:
    """Write a chain key file atomically, readable and writable by its owner only.

    The file is written to a temporary file in the same folder (created with mode
    0600) and then moved into place, so a crash never leaves half a key.

    Args:
        path: where to write the key file.
        key: the 32-byte chain key.
        overwrite: replace an existing file; without it an existing file is an error,
            because overwriting a chain key makes every earlier encoding unlinkable.
        demo: mark the key as the demo's: services refuse it outside the demo
            (:func:`read_service_key`).

    Raises:
        InputError: the key is not 32 bytes, the file exists (and ``overwrite`` is
            false), or the folder cannot be written.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "chain.key"
        >>> write_key_file(target, generate_chain_key())
        >>> oct(target.stat().st_mode & 0o777)
        '0o600'
    """
    path = Path(path)
    if len(key) != KEY_BYTES:
        raise InputError(f"a chain key must be {KEY_BYTES} bytes")
    if path.exists() and not overwrite:
        raise InputError(
            f"key file {path} already exists; not overwritten",
            hint="replacing a chain key makes earlier encodings unlinkable; "
            "choose another path, or overwrite on purpose",
        )
    document = {
        "kind": KEY_KIND,
        "version": _KEY_VERSION,
        "key": base64.b64encode(key).decode("ascii"),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if demo:
        document["demo"] = True
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write key file {path}: {exc.strerror}") from None
    try:
        os.fchmod(handle, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(document, indent=2) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            _link_new(temporary, path)
    except FileExistsError:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"key file {path} already exists; not overwritten") from None
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write key file {path}: {exc.strerror}") from None
    logger.info("wrote a chain key file to %s", path)


def _link_new(temporary: str, path: Path) -> None:
    """Move ``temporary`` to ``path`` only if ``path`` does not exist."""
    try:
        # link() fails if the path appeared meanwhile: never clobber a key by a race.
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as exc:
        # Some file systems have no hard links; fall back to check-then-rename.
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
            raise
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def read_key_file(path: Path | str) -> bytes:
    """Read the chain key from a key file written by :func:`write_key_file`.

    Raises:
        InputError: the file is missing or unreadable, is not JSON, is not a
            Ketenbeeld chain key, or does not hold a 32-byte key. The message never
            contains the key or the file's contents.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "chain.key"
        >>> key = generate_chain_key()
        >>> write_key_file(target, key)
        >>> read_key_file(target) == key
        True
    """
    key, _, mode = _read_key_document(Path(path))
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        logger.warning("key file %s can be read by other users; restrict it with chmod 600", path)
    return key


def read_service_key(path: Path | str) -> bytes:
    """The chain key for a service that keeps running (a node, the web application).

    Stricter than :func:`read_key_file`: a key file that other users can read, or one
    the demo made (it lies in a demo folder anyone may have copied), is refused.

    Raises:
        InputError: as :func:`read_key_file`.
        ConfigError: the file can be read by others, or holds the demo's key.
    """
    path = Path(path)
    require_private_file(path, "key file")
    key, document, _ = _read_key_document(path)
    if document.get("demo") is True:
        raise ConfigError(
            f"the key file {path} was made by `ketenbeeld demo`; a service outside the "
            "demo needs the chain's own key",
            hint="generate the chain key once with `ketenbeeld signals keygen` and give it "
            "to every organisation over a secure channel",
        )
    return key


def require_private_file(path: Path, what: str) -> None:
    """Refuse a secret's file (a key or token) that other users on the machine can read.

    Raises:
        ConfigError: the file's permissions let the group or others read or write it.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # the reader names the missing or unreadable file
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"the {what} {path} can be read by other users of this machine",
            hint=f"restrict it to its owner: chmod 600 {path}",
        )


def _read_key_document(path: Path) -> tuple[bytes, dict[str, object], int]:
    """The key, the key file's document and its mode; see :func:`read_key_file`."""
    try:
        text = path.read_text(encoding="utf-8")
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"key file {path} does not exist", hint=_KEYGEN_HINT) from None
    except IsADirectoryError:
        raise InputError(f"key file {path} is a folder, not a key file") from None
    except (OSError, UnicodeDecodeError):
        raise InputError(f"key file {path} cannot be read as UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        raise InputError(
            f"key file {path} is not a Ketenbeeld chain key (not JSON)", hint=_KEYGEN_HINT
        ) from None
    if not isinstance(document, dict) or document.get("kind") != KEY_KIND:
        raise InputError(
            f"key file {path} is not a Ketenbeeld chain key (kind is not {KEY_KIND})",
            hint=_KEYGEN_HINT,
        )
    if document.get("version") != _KEY_VERSION:
        raise InputError(
            f"key file {path} has an unsupported version; this Ketenbeeld reads version 1"
        )
    encoded = document.get("key")
    try:
        key = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else b""
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise InputError(
            f"key file {path} does not hold a {KEY_BYTES}-byte key (base64)", hint=_KEYGEN_HINT
        )
    return key, document, mode


def derive_key(chain_key: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from the chain key with HKDF-SHA256.

    Args:
        chain_key: the 32-byte chain key.
        purpose: ``field/<name>`` for a schema field, ``bsn`` for the BSN hash.

    Returns:
        HKDF-SHA256(chain_key, salt=none, info=b"ketenbeeld/v1/" + purpose), 32 bytes.

    Example:
        >>> derive_key(bytes(32), "bsn") != derive_key(bytes(32), "field/first_name")
        True
    """
    if not purpose:
        raise ValueError("a key purpose is needed")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=None,
        info=_INFO_PREFIX + purpose.encode("utf-8"),
    ).derive(chain_key)

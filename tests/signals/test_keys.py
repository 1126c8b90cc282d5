"""The chain key file and the derivation of purpose keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import stat
from pathlib import Path

import pytest

from ketenbeeld.errors import InputError
from ketenbeeld.signals.keys import (
    KEY_BYTES,
    derive_key,
    generate_chain_key,
    read_key_file,
    write_key_file,
)


def _hkdf_sha256(ikm: bytes, info: bytes, length: int, salt: bytes = b"") -> bytes:
    """RFC 5869 written out with the standard library, as an independent reference."""
    prk = hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()
    out, block = b"", b""
    for counter in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info + bytes((counter,)), hashlib.sha256).digest()
        out += block
    return out[:length]


def test_reference_hkdf_matches_rfc5869_test_case_3():
    okm = _hkdf_sha256(b"\x0b" * 22, b"", 42)
    assert okm.hex() == (
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
    )


def test_generated_keys_are_32_random_bytes():
    keys = {generate_chain_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(key) == KEY_BYTES == 32 for key in keys)


def test_key_file_round_trip_and_format(tmp_path: Path):
    key = generate_chain_key()
    path = tmp_path / "chain.key"
    write_key_file(path, key)
    assert read_key_file(path) == key
    document = json.loads(path.read_text("utf-8"))
    assert document["kind"] == "ketenbeeld-chain-key"
    assert document["version"] == 1
    assert base64.b64decode(document["key"]) == key
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["created"])
    assert sorted(document) == ["created", "key", "kind", "version"]


def test_key_file_is_readable_by_its_owner_only(tmp_path: Path):
    path = tmp_path / "chain.key"
    write_key_file(path, generate_chain_key())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # No temporary file is left behind.
    assert [p.name for p in tmp_path.iterdir()] == ["chain.key"]


def test_existing_key_file_is_not_overwritten(tmp_path: Path):
    path = tmp_path / "chain.key"
    first = generate_chain_key()
    write_key_file(path, first)
    with pytest.raises(InputError) as caught:
        write_key_file(path, generate_chain_key())
    assert caught.value.message == f"key file {path} already exists; not overwritten"
    assert "unlinkable" in (caught.value.hint or "")
    assert read_key_file(path) == first
    second = generate_chain_key()
    write_key_file(path, second, overwrite=True)
    assert read_key_file(path) == second
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_write_refuses_a_key_of_the_wrong_length(tmp_path: Path):
    with pytest.raises(InputError, match="a chain key must be 32 bytes"):
        write_key_file(tmp_path / "chain.key", b"short")
    assert not (tmp_path / "chain.key").exists()


def test_missing_key_file(tmp_path: Path):
    path = tmp_path / "nope.key"
    with pytest.raises(InputError) as caught:
        read_key_file(path)
    assert caught.value.message == f"key file {path} does not exist"
    assert "ketenbeeld signals keygen" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json at all", "is not a Ketenbeeld chain key (not JSON)"),
        ('{"kind": "something-else", "version": 1, "key": ""}', "kind is not"),
        ("[1, 2, 3]", "kind is not ketenbeeld-chain-key"),
        (
            '{"kind": "ketenbeeld-chain-key", "version": 2, "key": ""}',
            "has an unsupported version",
        ),
        (
            '{"kind": "ketenbeeld-chain-key", "version": 1, "key": "%%%"}',
            "does not hold a 32-byte key",
        ),
    ],
)
def test_bad_key_files_are_named_clearly(tmp_path: Path, content: str, expected: str):
    path = tmp_path / "chain.key"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_key_file(path)
    assert expected in caught.value.message
    assert str(path) in caught.value.message


def test_wrong_length_key_is_rejected_without_showing_it(tmp_path: Path):
    short = base64.b64encode(b"0123456789abcdef").decode()
    path = tmp_path / "chain.key"
    path.write_text(
        json.dumps({"kind": "ketenbeeld-chain-key", "version": 1, "key": short}), "utf-8"
    )
    with pytest.raises(InputError) as caught:
        read_key_file(path)
    assert caught.value.message == f"key file {path} does not hold a 32-byte key (base64)"
    assert short not in str(caught.value) + str(caught.value.hint)


def test_open_permissions_warn_without_the_key(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    key = generate_chain_key()
    path = tmp_path / "chain.key"
    write_key_file(path, key)
    path.chmod(0o644)
    with caplog.at_level(logging.DEBUG, logger="ketenbeeld.signals.keys"):
        assert read_key_file(path) == key
    assert "can be read by other users" in caplog.text
    assert base64.b64encode(key).decode() not in caplog.text
    assert key.hex() not in caplog.text


def test_derived_keys_follow_hkdf_with_the_documented_info():
    chain_key = bytes(range(32))
    for purpose in ("field/first_name", "field/last_name", "bsn"):
        expected = _hkdf_sha256(chain_key, b"ketenbeeld/v1/" + purpose.encode(), 32)
        assert derive_key(chain_key, purpose) == expected


def test_derived_keys_differ_by_purpose_and_by_chain_key():
    a, b = bytes(32), bytes(range(32))
    keys = {derive_key(a, p) for p in ("bsn", "field/first_name", "field/last_name")}
    assert len(keys) == 3
    assert derive_key(a, "bsn") != derive_key(b, "bsn")
    assert len(derive_key(a, "bsn")) == 32
    with pytest.raises(ValueError):
        derive_key(a, "")

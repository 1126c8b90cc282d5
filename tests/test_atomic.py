"""Atomic output: an error while writing leaves the old file and no debris."""

from __future__ import annotations

import stat

import pytest

from ketenbeeld.atomic import atomic_path, atomic_text


def test_error_while_writing_keeps_the_old_file(tmp_path):
    target = tmp_path / "links.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk full"), atomic_text(target) as stream:
        stream.write("half a new fi")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.csv"]


def test_success_replaces_and_is_private(tmp_path):
    target = tmp_path / "new" / "enc.jsonl"
    with atomic_text(target) as stream:
        stream.write('{"id":"A1"}\n')
    assert target.read_text(encoding="utf-8") == '{"id":"A1"}\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with atomic_path(target) as temporary:
        temporary.write_bytes(b"%PDF")
    assert target.read_bytes() == b"%PDF"
    assert sorted(p.name for p in target.parent.iterdir()) == ["enc.jsonl"]

"""The garbage collector is paused within a step and restored after it."""

from __future__ import annotations

import gc

import pytest

from ketenbeeld.online._gc import paused_gc


def test_the_collector_is_off_within_and_back_on_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_is_restored_after_an_error_and_stays_off_if_it_was() -> None:
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("stop")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

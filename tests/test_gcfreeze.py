"""The collector switches of orgwork.flows.gcfreeze leave it as they found it."""

from __future__ import annotations

import gc

import pytest

from orgwork.flows.gcfreeze import collection_paused


def test_collection_paused_switches_the_collector_off_then_back_on() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collection_paused_restores_on_error_and_keeps_it_off_if_it_was() -> None:
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("inside")
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

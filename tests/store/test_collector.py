"""The collector pause moves what the block made to the oldest generation without a walk,
and loses nothing to it: cyclic garbage made inside is still collected, and objects someone
else froze stay frozen."""

from __future__ import annotations

import gc
import weakref

from fieldapp.store.collector import collector_paused


class Node:
    pass


def test_cycles_made_while_paused_are_still_collected():
    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        gone = weakref.ref(a)
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    del a, b
    gc.collect()
    assert gone() is None


def test_objects_frozen_by_someone_else_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            kept = [Node() for _ in range(100)]
        assert gc.get_freeze_count() == frozen and kept
    finally:
        gc.unfreeze()


def test_the_collector_stays_off_when_it_was_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

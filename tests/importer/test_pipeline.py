"""The read-ahead worker hands items over in order, passes on errors, and stops cleanly."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import closing

import pytest

from threadline.importer.pipeline import read_ahead


def test_items_arrive_in_order() -> None:
    assert list(read_ahead(iter(range(1000)), depth=2)) == list(range(1000))


def test_an_error_in_the_worker_is_raised_in_the_consumer() -> None:
    def items() -> Iterator[int]:
        yield 1
        raise ValueError("broken file")

    with pytest.raises(ValueError, match="broken file"):
        list(read_ahead(items()))


def test_stopping_early_stops_the_worker() -> None:
    produced: list[int] = []

    def items() -> Iterator[int]:
        for n in range(10_000):
            produced.append(n)
            yield n

    before = threading.active_count()
    with closing(read_ahead(items(), depth=2)) as ahead:
        for n in ahead:
            if n == 3:
                break
    assert threading.active_count() == before
    assert len(produced) < 10

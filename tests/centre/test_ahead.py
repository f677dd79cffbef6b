"""centre/ahead.py: a generator run in a thread ahead of its reader gives the same items, the
same exception at the same place, in the reader's context; when either side fails or the
reader stops, the thread is gone and the generator closed when the block ends."""

import contextvars
import threading

import pytest

from diagnostics.centre.ahead import ahead

LANGUAGE = contextvars.ContextVar("language", default="none")


class Refused(Exception):
    pass


def ahead_threads():
    return [thread for thread in threading.enumerate() if thread.name == "import-ahead"]


def test_the_reader_gets_every_item_in_order_with_the_queue_full_most_of_the_time():
    with ahead(lambda: (number for number in range(1000)), 2) as items:
        assert list(items) == list(range(1000))
    assert not ahead_threads()


def test_the_generator_runs_in_the_readers_context():
    LANGUAGE.set("ru")
    with ahead(lambda: (LANGUAGE.get() for _ in range(3)), 1) as items:
        assert list(items) == ["ru", "ru", "ru"]


def test_an_error_of_the_generator_reaches_the_reader_after_the_items_before_it():
    def failing():
        yield from range(5)
        raise Refused("chunk 5")

    seen = []
    with pytest.raises(Refused, match="chunk 5"), ahead(failing, 2) as items:
        for item in items:
            seen.append(item)
    assert seen == [0, 1, 2, 3, 4]
    assert not ahead_threads()


def test_an_error_of_the_reader_stops_the_generator_and_closes_it():
    produced, closed = [], threading.Event()

    def endless():
        try:
            number = 0
            while True:
                produced.append(number)
                yield number
                number += 1
        finally:
            closed.set()

    with pytest.raises(Refused), ahead(endless, 2) as items:
        for item in items:
            if item == 10:
                raise Refused("the database refused a row")
    assert closed.is_set()
    assert not ahead_threads()
    assert len(produced) <= 10 + 1 + 2 + 1  # the reader's, one being put, a full queue, one more


def test_a_reader_leaving_early_without_an_error_stops_the_generator_too():
    closed = threading.Event()

    def numbers():
        try:
            yield from range(10**9)
        finally:
            closed.set()

    with ahead(numbers, 3) as items:
        assert next(items) == 0
    assert closed.is_set() and not ahead_threads()

"""A generator run ahead of its reader in a thread of its own, a bounded queue between them.

The centre's import reads, decrypts, parses and judges a batch's chunks (its own CPU) while
the database writes the groups made before (the server's CPU, or SQLite's in C: both release
the GIL while they work). The reader gets the same items in the same order, and where the
generator raised, the same exception at the same place in the sequence. The generator runs in
a copy of the reader's context (Flask's app and request, hence the language of a message).
When the reader stops early (an error of its own, a `break`), the thread is told to stop,
its generator is closed in it (its files with it) and the thread is joined before `ahead`'s
block ends: no thread outlives the block, nothing is shared between two blocks.
"""

import contextvars
import queue
import threading
from contextlib import closing, contextmanager

_END = object()  # the generator is exhausted


class _Raised:
    """The exception the generator raised, carried to the reader."""

    def __init__(self, error):
        self.error = error


@contextmanager
def ahead(make, depth):
    """Within the block, an iterator over the items of the generator `make()` makes, which
    runs in a thread of its own at most `depth` items ahead of the iterator's reader."""
    items = queue.Queue(maxsize=depth)
    stop = threading.Event()
    context = contextvars.copy_context()
    thread = threading.Thread(
        target=context.run, args=(_produce, make, items, stop), name="import-ahead", daemon=True
    )
    thread.start()
    try:
        yield _read(items)
    finally:
        stop.set()
        while thread.is_alive():  # a producer blocked on a full queue: make room until it ends
            try:
                items.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()


def _produce(make, items, stop):
    try:
        with closing(make()) as generator:
            for item in generator:
                items.put(item)
                if stop.is_set():
                    return
    except BaseException as error:  # noqa: BLE001 - carried to the reader, raised there
        items.put(_Raised(error))
        return
    items.put(_END)


def _read(items):
    while True:
        item = items.get()
        if item is _END:
            return
        if isinstance(item, _Raised):
            raise item.error
        yield item

"""Writing files so that a crash never leaves half of one, and canonical JSON."""

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def canonical(value):
    """The bytes every signature in sync/FORMAT.md is made over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


@contextmanager
def atomic_file(path, mode=None):
    """An open binary temp file beside `path`; on a clean exit it is fsynced and renamed over
    `path` (with file mode `mode` if given), on an error removed. The one atomic write."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def atomic_write(path, data, mode=None):
    """Write bytes to a temp file beside `path`, fsync, then rename over it."""
    with atomic_file(path, mode) as out:
        out.write(data)


def write_json(path, value, mode=None):
    """Pretty JSON for people, written atomically."""
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write(path, text.encode("utf-8"), mode)


# No document of ours nests deeper than this; a deeper one is refused before it can exhaust
# the recursion of the JSON reader or of anything that walks it later.
MAX_DEPTH = 32


def loads_bounded(data, depth=MAX_DEPTH):
    """JSON from bytes or text; ValueError when it is not JSON or nests deeper than `depth`."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if _openers(data) > depth and not _shallow(value, depth):
        raise ValueError("nested too deeply")
    return value


def _openers(data):
    """How many arrays and objects the text opens at most: no deeper than that (strings may
    hold brackets too, so it can only overcount). Two scans in C spare walking the value."""
    if isinstance(data, str):
        return data.count("[") + data.count("{")
    return data.count(b"[") + data.count(b"{")


def _shallow(value, depth):
    # Only containers are queued: a record's many plain fields cost one type test each.
    waiting = [(value, 1)] if isinstance(value, (dict, list)) else []
    while waiting:
        value, level = waiting.pop()
        if level > depth:
            return False
        inner = value.values() if isinstance(value, dict) else value
        waiting.extend((item, level + 1) for item in inner if isinstance(item, (dict, list)))
    return True


def read_small_json(stream, limit=256 * 1024):
    """An uploaded JSON document, or None when it is not JSON, too deep or larger than ours."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        return None
    try:
        return loads_bounded(data)
    except (UnicodeDecodeError, ValueError):
        return None

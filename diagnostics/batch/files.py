"""Writing files so that a crash never leaves half of one, and canonical JSON."""

import json
import os
import secrets
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


NOT_JSON = object()  # loads_lines' value of a line that is not JSON
_NOT_OPENERS = bytes(sorted(set(range(256)) - set(b"[{\n")))  # every byte but these three
_scan = json.JSONDecoder().scan_once  # the scanner json.loads itself runs (C when available)


def loads_lines(data, depth=MAX_DEPTH):
    """[(line, value)] for each line of `data` (bytes; every line ends with a line feed, what
    follows the last one is left out): the value loads_bounded(line) gives, or NOT_JSON where
    it raises ValueError (UnicodeDecodeError included).

    The same verdicts, cheaper. The text is decoded once, as json.loads decodes UTF-8 bytes
    (a text that is not plain UTF-8 without NUL bytes, where json.loads would guess another
    encoding, goes line by line to loads_bounded). Then ONE json.loads reads every line, the
    lines joined by `,"TAG",` with a fresh random TAG in one array: a line cannot write the
    TAG, so when the result alternates value, TAG, value... with one value per line, each TAG
    is a separator's own, outside every string and bracket, and between two of them (or the
    array's ends) each line alone is exactly its one value. Any other outcome (a line that is
    not JSON, or one that tries to run into its neighbour) sends the lines to `_one_by_one`.
    """
    parts = data.split(b"\n")[:-1]
    text = None
    if b"\x00" not in data:
        try:
            text = data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            pass
    if text is None:
        return [(line, _loads_or_not(line, depth)) for line in parts]
    strings = text.split("\n")[:-1]  # "\n" is one byte in UTF-8: the same lines
    values = _tagged(strings)
    if values is None:
        return _one_by_one(parts, strings, depth)
    # A line is too deep only if it opens more than `depth` arrays and objects (_too_deep):
    # the text with nothing left but `[`, `{` and line feeds counts them for every line.
    if max(map(len, data.translate(None, _NOT_OPENERS).split(b"\n"))) <= depth:
        return list(zip(parts, values, strict=True))
    return [
        (line, NOT_JSON if _too_deep(line, value, depth) else value)
        for line, value in zip(parts, values, strict=True)
    ]


def _tagged(strings):
    """The value of each line read with one json.loads, or None when that is not sure."""
    tag = secrets.token_hex(16)
    try:
        found = json.loads("[" + f',"{tag}",'.join(strings) + "]")
    except (ValueError, RecursionError):
        return None
    if len(found) != 2 * len(strings) - 1 or found[1::2].count(tag) != len(strings) - 1:
        return None
    return found[::2]


def _too_deep(line, value, depth):
    return line.count(b"[") + line.count(b"{") > depth and not _shallow(value, depth)


def _one_by_one(parts, strings, depth):
    """Each decoded line scanned alone by json's own scanner; one it cannot settle by itself
    (anything but one whole value from its first character to its last) goes to
    loads_bounded."""
    found = []
    for line, string in zip(parts, strings, strict=True):
        try:
            value, end = _scan(string, 0)
        except (StopIteration, ValueError, RecursionError):
            end = -1
        if end != len(string) or _too_deep(line, value, depth):
            value = _loads_or_not(line, depth)
        found.append((line, value))
    return found


def _loads_or_not(line, depth):
    try:
        return loads_bounded(line, depth)
    except ValueError:
        return NOT_JSON


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

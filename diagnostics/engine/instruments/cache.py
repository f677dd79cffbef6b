"""Check each instrument file, and the algorithm's, once: per process while its content is
unchanged, and across starts from a cache in the instance folder, both keyed by a hash of the
file's bytes and of the code and schema documents that judge it.

Only what a valid file parses to is stored on disk. A changed file has another key, so it is
read and validated again, and a broken one is reported with its file and line at every start.
"""

import functools
import hashlib
import io
import os
import pickle
from pathlib import Path

from diagnostics.engine.algorithm.model import Algorithm, load_algorithm
from diagnostics.engine.instruments.loader import check_file, load_collection
from diagnostics.engine.instruments.model import Instrument
from diagnostics.paths import resource_dir

CACHE_FILE = "instrument-cache.pickle"
# What decides what a file means: the code of both engines and the schema documents. A change
# to any of it makes every entry stale.
ENGINE = Path(__file__).parent.parent
JUDGES = ("instruments/*.py", "algorithm/*.py")
_checked = {}  # content key: (Instrument or None, problems), for this process


def load_checked(folder, algorithm_file, instance_folder=None, instruments=True):
    """(algorithm, collection): load_algorithm and load_collection, with each file checked
    once (see the module's docstring); the collection empty when `instruments` is false."""
    stored = StoredChecks(instance_folder) if instance_folder else None
    try:
        algorithm = _algorithm_once(Path(algorithm_file), stored)
        if not instruments:
            return algorithm, {}
        check = functools.partial(checked_file, stored=stored)
        return algorithm, load_collection(folder, algorithm, check=check)
    finally:
        if stored is not None:  # the valid files too when another one is broken
            stored.save(forget_unused=instruments)


def _algorithm_once(path, stored):
    """load_algorithm(path), or the algorithm a start before found valid in the same bytes."""
    try:
        key = content_key(path)
    except OSError:
        return load_algorithm(path)  # which says what is wrong with the file
    data = stored.entries.get(key) if stored is not None else None
    algorithm = Algorithm(data, path.name) if data is not None else load_algorithm(path)
    if stored is not None:
        stored.keep(key, algorithm)
    return algorithm


def checked_file(path, stored=None):
    """check_file(path), reused while the file's name and bytes stay the same.

    `stored` (a StoredChecks) supplies and keeps the parse of valid files across processes.
    The Instrument returned is shared: callers copy before changing it (bind_levels does).
    """
    path = Path(path)
    key = content_key(path)
    if key not in _checked:
        _checked[key] = _check(path, key, stored)
    instrument, problems = _checked[key]
    if stored is not None:
        stored.keep(key, instrument)
    return instrument, problems


def content_key(path):
    """A hash of the validator's code, the file's name and its bytes."""
    digest = hashlib.sha256(_validator_fingerprint())
    digest.update(path.name.encode("utf-8") + b"\0")
    digest.update(path.read_bytes())
    return digest.hexdigest()


def _check(path, key, stored):
    data = stored.entries.get(key) if stored is not None else None
    if data is not None:
        return Instrument(data, source_file=path.name), []
    return check_file(path)


class StoredChecks:
    """The parsed data of valid instrument files, by content key, in the instance folder."""

    def __init__(self, folder):
        self.path = Path(folder) / CACHE_FILE
        self.entries = _read(self.path)
        self.changed = False
        self.used = set()

    def keep(self, key, checked):
        """Keep a file read now: its entry stays, and a valid file's data (an Instrument's or
        the Algorithm's) is added if new."""
        self.used.add(key)
        if checked is not None and key not in self.entries:
            self.entries[key] = checked.data
            self.changed = True

    def save(self, forget_unused=True):
        """Write the entries, if any was new: those of the files read this time, or all of
        them when not every file was read (a start without the collection)."""
        if not self.changed:
            return
        kept = self.used if forget_unused else self.entries
        entries = {key: self.entries[key] for key in kept if key in self.entries}
        temporary = self.path.with_suffix(".tmp")
        try:
            temporary.write_bytes(pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only instance folder only means the next start parses again


@functools.cache
def _validator_fingerprint():
    judges = [path for pattern in JUDGES for path in sorted(ENGINE.glob(pattern))]
    judges += sorted((resource_dir("instruments") / "schema").glob("*.json"))
    return b"".join(hashlib.sha256(path.read_bytes()).digest() for path in judges)


class _PlainDataUnpickler(pickle.Unpickler):
    """Only dicts, lists, strings, numbers, booleans and None: never a class or a function."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refused: {module}.{name}")


def _read(path):
    try:
        entries = _PlainDataUnpickler(io.BytesIO(path.read_bytes())).load()
    except Exception:  # noqa: BLE001 - a damaged cache only means parsing the files again
        return {}
    return entries if isinstance(entries, dict) else {}

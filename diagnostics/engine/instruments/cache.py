"""Check each instrument file once: per process while its content is unchanged, and across
starts from a cache in the instance folder, both keyed by a hash of the file's bytes.

Only what a valid file parses to is stored on disk. A changed file has another key, so it is
read and validated again, and a broken one is reported with its file and line at every start.
"""

import functools
import hashlib
import io
import os
import pickle
from pathlib import Path

from diagnostics.engine.instruments.loader import check_file, load_collection
from diagnostics.engine.instruments.model import Instrument

CACHE_FILE = "instrument-cache.pickle"
# The code that decides what a file means: a change to any of it makes every entry stale.
VALIDATOR_FILES = ("yamlfile.py", "schema.py", "conditions.py", "loader.py", "model.py")
_checked = {}  # content key: (Instrument or None, problems), for this process


def load_collection_once(folder, algorithm, instance_folder=None):
    """load_collection, with each file checked once (see the module's docstring)."""
    stored = StoredChecks(instance_folder) if instance_folder else None
    try:
        return load_collection(folder, algorithm, check=lambda path: checked_file(path, stored))
    finally:
        if stored is not None:
            stored.save()  # the valid files too when another one is broken


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

    def keep(self, key, instrument):
        """Keep a file read now: its entry stays, and a valid file's data is added if new."""
        self.used.add(key)
        if instrument is not None and key not in self.entries:
            self.entries[key] = instrument.data
            self.changed = True

    def save(self):
        """Write the entries of the files read this time, if any was new."""
        if not self.changed:
            return
        entries = {key: self.entries[key] for key in self.used if key in self.entries}
        temporary = self.path.with_suffix(".tmp")
        try:
            temporary.write_bytes(pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only instance folder only means the next start parses again


@functools.cache
def _validator_fingerprint():
    here = Path(__file__).parent
    return b"".join(hashlib.sha256((here / name).read_bytes()).digest() for name in VALIDATOR_FILES)


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

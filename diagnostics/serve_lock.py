"""One server per instance: an operating-system lock on a file in the instance folder.

The lock belongs to the open file, so the system drops it when the process ends, even after a
crash or a power cut: a file left behind never blocks the next start. The file only says, for
people and for a second start, which process holds it and on which port.
"""

import os
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "diagnostics.serve.lock"
# Windows locks are mandatory: lock a byte far past the text so the file stays readable
# (a backup of the instance reads it).
_WINDOWS_OFFSET = 1 << 30


class AlreadyServing(RuntimeError):
    """Another process is serving this instance."""

    def __init__(self, path, port):
        super().__init__(str(path))
        self.path, self.port = path, port


@contextmanager
def serving(instance, port):
    """Hold the instance's serve lock for the block; AlreadyServing if another process has it."""
    path = Path(instance) / LOCK_FILE
    handle = open(path, "a+", encoding="utf-8")  # held open for the whole block
    try:
        if not _try_lock(handle):
            raise AlreadyServing(path, _recorded_port(path))
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\nport {port}\n")
        handle.flush()
        yield path
    finally:
        handle.close()  # closing the file releases the lock


def _try_lock(handle):
    if os.name == "nt":
        import msvcrt

        handle.seek(_WINDOWS_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _recorded_port(path):
    """The port the running server wrote, or None."""
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(" ")
        if key == "port" and value.strip().isdigit():
            return int(value)
    return None

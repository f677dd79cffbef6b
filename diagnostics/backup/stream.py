"""The encrypted backup file: a header, then AES-256-GCM chunks (see docs/backup-format.md).

The key comes from the passphrase through the app's one key derivation (`sync/kdf.py`), and
the chunks are the app's one chunked stream (`sync/stream.py`) with the 40 header bytes as
associated data, so a changed byte, reordered chunks or a cut-off end are all detected.
"""

import os
import struct

from cryptography.exceptions import InvalidTag

from diagnostics.batch import kdf
from diagnostics.batch.stream import PREFIX, TAG, Stream, frame

MAGIC = b"DIAGBKP\x00"
VERSION = 1
KDF_SCRYPT = 1
HEADER = struct.Struct(">8sBBBBB16s7sI")  # magic, version, kdf, log2 n, r, p, salt, prefix, size
CHUNK_SIZE = 1024 * 1024
# The passphrase check: an empty message under a number and a flag no chunk ever has.
CHECK_COUNTER, CHECK_FLAG = 0xFFFFFFFF, 2


class BackupError(Exception):
    """The backup cannot be made or read; `reason` is a code, `params` fill its message."""

    def __init__(self, reason, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


def encrypt_file(source, target, passphrase):
    """Encrypt the open binary file `source` into the open binary file `target`."""
    salt, prefix = os.urandom(16), os.urandom(PREFIX)
    header = HEADER.pack(
        MAGIC, VERSION, KDF_SCRYPT, kdf.LOG2_N, kdf.R, kdf.P, salt, prefix, CHUNK_SIZE
    )
    stream = Stream(kdf.passphrase_key(passphrase, salt), prefix, header)
    target.write(header)
    target.write(stream.seal_at(CHECK_COUNTER, CHECK_FLAG, b""))
    chunk = source.read(CHUNK_SIZE)
    while True:
        following = source.read(CHUNK_SIZE)
        target.write(frame(stream.seal(chunk, last=not following)))
        if not following:
            return
        chunk = following


def read_header(source):
    """Header fields of a backup file, checked for sane values before any work is done."""
    raw = source.read(HEADER.size)
    if len(raw) < HEADER.size:
        raise BackupError("not_backup")
    magic, version, kdf_id, log2_n, r, p, salt, prefix, size = HEADER.unpack(raw)
    if magic != MAGIC:
        raise BackupError("not_backup")
    if version != VERSION or kdf_id != KDF_SCRYPT:
        raise BackupError("unknown_version", version=version)
    if not 1 <= size <= 16 * CHUNK_SIZE:
        raise BackupError("damaged", offset=0)
    if not kdf.within_limits(log2_n, r, p):
        raise BackupError("kdf_too_costly", log2_n=log2_n, r=r, p=p)
    return raw, {"log2_n": log2_n, "r": r, "p": p, "salt": salt, "prefix": prefix, "size": size}


def decrypt_file(source, target, passphrase):
    """Decrypt and authenticate every chunk into `target`; raise BackupError on any fault."""
    header, fields = read_header(source)
    key = kdf.passphrase_key(passphrase, fields["salt"], fields["log2_n"], fields["r"], fields["p"])
    stream = Stream(key, fields["prefix"], header)
    try:
        stream.open_at(CHECK_COUNTER, CHECK_FLAG, source.read(TAG))
    except InvalidTag:
        raise BackupError("wrong_passphrase") from None
    offset = HEADER.size + TAG
    while True:
        length_bytes = source.read(4)
        if len(length_bytes) < 4:
            raise BackupError("truncated", offset=offset)
        (length,) = struct.unpack(">I", length_bytes)
        if not TAG <= length <= fields["size"] + TAG:
            raise BackupError("damaged", offset=offset)
        sealed = source.read(length)
        if len(sealed) < length:
            raise BackupError("truncated", offset=offset)
        last = _open_chunk(stream, sealed, offset, target)
        offset += 4 + length
        if last:
            if source.read(1):
                raise BackupError("damaged", offset=offset)
            return


def _open_chunk(stream, sealed, offset, target):
    """Write one chunk's plaintext; True when it is the last chunk.

    The file has no end marker, so a chunk is tried as a middle one, then as the last one.
    """
    for last in (False, True):
        try:
            target.write(stream.open(sealed, last))
            return last
        except InvalidTag:
            continue
    raise BackupError("damaged", offset=offset)

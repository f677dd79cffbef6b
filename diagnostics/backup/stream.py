"""The encrypted backup file: a header, then AES-256-GCM chunks (see docs/backup-format.md).

The key comes from the passphrase through scrypt. Each chunk's nonce is a random prefix, the
chunk's number and a last-chunk flag, and every chunk authenticates the header too, so a
changed byte, reordered chunks or a cut-off end are all detected.
"""

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"DIAGBKP\x00"
VERSION = 1
KDF_SCRYPT = 1
HEADER = struct.Struct(">8sBBBBB16s7sI")  # magic, version, kdf, log2 n, r, p, salt, prefix, size
CHUNK_SIZE = 1024 * 1024
TAG = 16
LOG2_N, R, P = 15, 8, 1  # 32 MiB and about 0.1 s on a school laptop
# The most a backup may ask for: 128 MiB (128 * r * 2**log2_n bytes) and twice that work.
MIN_LOG2_N, MAX_LOG2_N, MAX_R, MAX_P = 14, 17, 8, 2
CHECK_COUNTER = 0xFFFFFFFF  # the nonce of the passphrase check, never a chunk's


class BackupError(Exception):
    """The backup cannot be made or read; `reason` is a code, `params` fill its message."""

    def __init__(self, reason, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


def derive_key(passphrase, salt, log2_n, r, p):
    kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def _nonce(prefix, counter, last):
    return prefix + struct.pack(">IB", counter, 2 if counter == CHECK_COUNTER else int(last))


def encrypt_file(source, target, passphrase):
    """Encrypt the open binary file `source` into the open binary file `target`."""
    salt, prefix = os.urandom(16), os.urandom(7)
    header = HEADER.pack(MAGIC, VERSION, KDF_SCRYPT, LOG2_N, R, P, salt, prefix, CHUNK_SIZE)
    aead = AESGCM(derive_key(passphrase, salt, LOG2_N, R, P))
    target.write(header)
    target.write(aead.encrypt(_nonce(prefix, CHECK_COUNTER, False), b"", header))
    counter, chunk = 0, source.read(CHUNK_SIZE)
    while True:
        following = source.read(CHUNK_SIZE)
        sealed = aead.encrypt(_nonce(prefix, counter, not following), chunk, header)
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if not following:
            return
        counter, chunk = counter + 1, following


def read_header(source):
    """Header fields of a backup file, checked for sane values before any work is done."""
    raw = source.read(HEADER.size)
    if len(raw) < HEADER.size:
        raise BackupError("not_backup")
    magic, version, kdf, log2_n, r, p, salt, prefix, size = HEADER.unpack(raw)
    if magic != MAGIC:
        raise BackupError("not_backup")
    if version != VERSION or kdf != KDF_SCRYPT:
        raise BackupError("unknown_version", version=version)
    if not 1 <= size <= 16 * CHUNK_SIZE:
        raise BackupError("damaged", offset=0)
    # Checked before scrypt runs: the header is not authenticated until the passphrase is, so
    # its cost parameters could otherwise ask for gigabytes of memory and minutes of work.
    if not (MIN_LOG2_N <= log2_n <= MAX_LOG2_N and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
        raise BackupError("kdf_too_costly", log2_n=log2_n, r=r, p=p)
    return raw, {"log2_n": log2_n, "r": r, "p": p, "salt": salt, "prefix": prefix, "size": size}


def decrypt_file(source, target, passphrase):
    """Decrypt and authenticate every chunk into `target`; raise BackupError on any fault."""
    header, fields = read_header(source)
    aead = AESGCM(
        derive_key(passphrase, fields["salt"], fields["log2_n"], fields["r"], fields["p"])
    )
    check = source.read(TAG)
    try:
        aead.decrypt(_nonce(fields["prefix"], CHECK_COUNTER, False), check, header)
    except InvalidTag:
        raise BackupError("wrong_passphrase") from None
    counter, offset = 0, HEADER.size + TAG
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
        last = _open_chunk(aead, fields["prefix"], counter, sealed, header, offset, target)
        offset += 4 + length
        if last:
            if source.read(1):
                raise BackupError("damaged", offset=offset)
            return
        counter += 1


def _open_chunk(aead, prefix, counter, sealed, header, offset, target):
    """Write one chunk's plaintext; True when it is the last chunk."""
    for last in (False, True):
        try:
            target.write(aead.decrypt(_nonce(prefix, counter, last), sealed, header))
            return last
        except InvalidTag:
            continue
    raise BackupError("damaged", offset=offset)

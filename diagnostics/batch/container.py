"""The batch file's bytes: write one streaming, read and check one streaming (FORMAT.md)."""

import hashlib
import json
import os
import struct

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.files import canonical, loads_bounded
from diagnostics.batch.stream import PREFIX, TAG, Stream, frame

MAGIC = b"KZDIAGB1"
CHUNK = 65536
SEALED_KEY = 1168
SIGNATURE = 64
SIG_LABEL = b"kz-diagnostics batch signature v1\x00"
INFO_LABEL = b"kz-diagnostics batch v1\x00"
SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
SUITE_HEADER = {
    "hpke": "MLKEM768-X25519/HKDF-SHA256/AES-256-GCM",
    "kem_id": 0x647A,
    "kdf_id": 1,
    "aead_id": 2,
    "mode": 0,
    "chunks": "AES-256-GCM-STREAM-64K",
}
READ = 1 << 20
MAX_HEADER = 65536


class BatchRefused(SyncError):
    """The file is not an authentic, intact batch for this centre: nothing is imported.

    `check` names the check of FORMAT.md's table that refused it ("magic", "header",
    "signature", "content"...), for tests and other programs; `reason` is for people.
    """

    def __init__(self, reason, check=None):
        super().__init__(reason)
        self.check = check


class BatchWriter:
    """Write a batch to an open binary file: header, sealed key, chunks, signature."""

    def __init__(self, out, header, centre_public, school_key, fixed=None):
        """`fixed` is for test vectors only: {"content_key", "nonce_prefix"} instead of fresh
        random bytes, and optionally "sealed_key", a sealed key made before for the same
        content key and header (HPKE's encapsulation cannot be fixed by a seed)."""
        self.out, self.school_key = out, school_key
        fixed = fixed or {}
        prefix = fixed.get("nonce_prefix") or os.urandom(PREFIX)
        header = {**header, "suite": SUITE_HEADER, "nonce_prefix": prefix.hex()}
        header_bytes = canonical(header)
        self.header_digest = hashlib.sha256(header_bytes).digest()
        content_key = fixed.get("content_key") or os.urandom(32)
        sealed = fixed.get("sealed_key") or SUITE.encrypt(
            content_key, centre_public.kem, info=INFO_LABEL + self.header_digest
        )
        self.stream = Stream(content_key, prefix, self.header_digest)
        self.signed = hashlib.sha256()
        self.buffer = bytearray()
        self._write(MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes)
        self._write(struct.pack(">H", len(sealed)) + sealed)

    def _write(self, data):
        self.signed.update(data)
        self.out.write(data)

    def _emit(self, last):
        self._write(frame(self.stream.seal(bytes(self.buffer), last)))
        self.buffer = bytearray()

    def add(self, record):
        """Append one record as a JSON line; a full chunk is sealed and written."""
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        if len(line) > CHUNK:
            raise ValueError("record longer than one chunk")
        if len(self.buffer) + len(line) > CHUNK:
            self._emit(last=False)
        self.buffer += line

    def finish(self):
        """Seal the last chunk, the end marker and the signature; return the batch hash."""
        self._emit(last=True)
        self._write(struct.pack(">I", 0))
        digest = self.signed.digest()
        signature = self.school_key.sign(SIG_LABEL + digest)
        self.out.write(signature)
        whole = self.signed.copy()
        whole.update(signature)
        return whole.hexdigest()


def _refuse(reason, check):
    raise BatchRefused(reason, check)


def _not_a_batch():
    _refuse(_("This is not a batch file."), "magic")


def read_header(handle):
    """The header dict and its bytes; refuses anything that is not a batch file."""
    start = handle.read(12)
    if len(start) < 12 or start[:7] != MAGIC[:7]:
        _not_a_batch()
    if start[:8] != MAGIC:  # `KZDIAGB2`...: a later container this reader does not know
        _refuse(
            _("Unsupported batch version %(version)s.", version=start[7:8].decode("latin-1")),
            "version",
        )
    (length,) = struct.unpack(">I", start[8:])
    header_bytes = handle.read(length) if 1 <= length <= MAX_HEADER else b""
    if len(header_bytes) != length:
        _not_a_batch()
    try:
        header = loads_bounded(header_bytes, depth=4)
    except (UnicodeDecodeError, ValueError):
        _not_a_batch()
    if not isinstance(header, dict) or header.get("format") != "kz-diagnostics-batch":
        _not_a_batch()
    version = header.get("version")
    if type(version) is not int or version != 1:  # `true == 1` in Python: compare the type too
        _refuse(_("Unsupported batch version %(version)s.", version=str(version)[:20]), "version")
    return header, header_bytes


def scan(path, public_key):
    """Streaming pass: verify the school's signature over the whole file; return the batch hash."""
    size = os.path.getsize(path)
    signed, remaining = hashlib.sha256(), size - SIGNATURE
    if remaining < 12:
        _refuse(_("The file is cut short."), "signature")
    with open(path, "rb") as handle:
        while remaining:
            block = handle.read(min(READ, remaining))
            signed.update(block)
            remaining -= len(block)
        signature = handle.read(SIGNATURE)
    try:
        public_key.verify(signature, SIG_LABEL + signed.digest())
    except InvalidSignature:
        _refuse(
            _(
                "Bad signature: the file was altered, cut short or not made by %(school)s.",
                school=_school_of(path),
            ),
            "signature",
        )
    whole = signed.copy()
    whole.update(signature)
    return whole.hexdigest()


def _school_of(path):
    with open(path, "rb") as handle:
        return read_header(handle)[0].get("school", "?")


def plaintext_chunks(path, private_kem):
    """Second pass: open the content key and yield each chunk's plaintext, in order.

    Every chunk holds whole lines: its plaintext ends with a line feed, except the one empty
    final chunk of a batch without records (FORMAT.md, "Confidentiality").
    """
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        header, header_bytes = read_header(handle)
        header_digest = hashlib.sha256(header_bytes).digest()
        prefix = bytes.fromhex(header["nonce_prefix"])
        stream = Stream(_content_key(handle, header_digest, private_kem), prefix, header_digest)
        index, at = 0, handle.tell()
        length = _length(handle, index, at)
        if not length:
            _damaged(_("The batch has no chunk."))
        while length:
            sealed = handle.read(length)
            following = _length(handle, index + 1, handle.tell())
            plain = _open_chunk(stream, following == 0, sealed, index, at)
            if not plain.endswith(b"\n") and (plain or index or following):
                _damaged(
                    _(
                        "Chunk %(chunk)d of the batch (at byte %(offset)d) does not end with a whole record line.",  # noqa: E501
                        chunk=index,
                        offset=at,
                    )
                )
            yield plain
            index, at, length = index + 1, handle.tell() - 4, following
        if handle.tell() != size - SIGNATURE:
            _damaged(
                _(
                    "The batch has %(count)d bytes between its end marker and its signature.",
                    count=size - SIGNATURE - handle.tell(),
                )
            )


def _damaged(reason):
    _refuse(reason, "content")


def _content_key(handle, header_digest, private_kem):
    (length,) = struct.unpack(">H", handle.read(2).rjust(2, b"\0"))
    sealed = handle.read(length)
    if length != SEALED_KEY or len(sealed) != length:
        _damaged(
            _(
                "The sealed content key of the batch is %(length)d bytes long instead of %(expected)d.",  # noqa: E501
                length=len(sealed),
                expected=SEALED_KEY,
            )
        )
    try:
        return SUITE.decrypt(sealed, private_kem, info=INFO_LABEL + header_digest)
    except (InvalidTag, ValueError):
        _refuse(_("The batch does not open with this centre's key."), "key")


def _length(handle, index, at):
    """The length field of chunk `index` at byte `at`: 0 for the end marker."""
    data = handle.read(4)
    if len(data) != 4:
        _damaged(_("The batch is cut short at byte %(offset)d.", offset=at))
    (length,) = struct.unpack(">I", data)
    if length and not TAG <= length <= CHUNK + TAG:
        _damaged(
            _(
                "The length of chunk %(chunk)d of the batch (at byte %(offset)d) is outside the format's range.",  # noqa: E501
                chunk=index,
                offset=at,
            )
        )
    return length


def _open_chunk(stream, last, sealed, index, at):
    try:
        return stream.open(sealed, last)
    except InvalidTag:
        _damaged(
            _(
                "Chunk %(chunk)d of the batch (at byte %(offset)d) does not decrypt: the content is damaged, reordered or cut short.",  # noqa: E501
                chunk=index,
                offset=at,
            )
        )

"""A second batch reader, written from sync/FORMAT.md alone, decodes every positive vector.

It imports nothing of the app (no `diagnostics`), only the cryptography library's primitives,
as another system would: the proof that the document is enough to implement the format. It
also recomputes the intermediate values the vectors publish (HD, the content key, each
chunk's nonce, the signed range) and refuses what FORMAT.md says to refuse.
"""

import base64
import hashlib
import json
import struct
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VECTORS = Path(__file__).resolve().parents[2] / "sync" / "testvector"
KEYS = json.loads((VECTORS / "expected.json").read_text(encoding="utf-8"))
POSITIVE = json.loads((VECTORS / "positive" / "index.json").read_text(encoding="utf-8"))


class Refused(Exception):
    pass


def fingerprint(label, *parts):
    """FORMAT.md, "Fingerprints": base32 of SHA-256's first 20 bytes, 8 groups of 4."""
    text = base64.b32encode(hashlib.sha256(label + b"".join(parts)).digest()[:20]).decode()
    return "-".join(text[i : i + 4] for i in range(0, 32, 4))


def centre_keys(private):
    """FORMAT.md, "Centre private key file": 64-byte ML-KEM seed, X25519, Ed25519 seed."""
    kem_private = mlkem.MLKEM768PrivateKey.from_seed_bytes(private[:64])
    dh_private = x25519.X25519PrivateKey.from_private_bytes(private[64:96])
    signing = ed25519.Ed25519PrivateKey.from_private_bytes(private[96:128])
    raw = [
        kem_private.public_key().public_bytes_raw(),
        dh_private.public_key().public_bytes_raw(),
        signing.public_key().public_bytes_raw(),
    ]
    return hpke.MLKEM768X25519PrivateKey(kem_private, dh_private), fingerprint(
        b"kz-diagnostics centre key v1\x00", *raw
    )


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def read(data, school_public, kem_private):
    """(header, HD, content key, [(nonce, plaintext)], signed digest) of a batch, or Refused."""
    if len(data) < 12 + 64 or data[:8] != b"KZDIAGB1":
        raise Refused("magic")
    (h,) = struct.unpack(">I", data[8:12])
    if not 1 <= h <= 65536:
        raise Refused("magic")
    header_bytes = data[12 : 12 + h]
    header = json.loads(header_bytes)
    if header.get("version") != 1 or type(header["version"]) is not int:
        raise Refused("version")
    if canonical(header) != header_bytes:
        raise Refused("header_canonical")
    # The signature covers bytes 0 .. size-65 inclusive: everything before the last 64 bytes.
    signed = hashlib.sha256(data[:-64]).digest()
    try:
        school_public.verify(data[-64:], b"kz-diagnostics batch signature v1\x00" + signed)
    except InvalidSignature:
        raise Refused("signature") from None
    hd = hashlib.sha256(header_bytes).digest()  # the raw 32 bytes, not hex
    at = 12 + h
    (k,) = struct.unpack(">H", data[at : at + 2])
    if k != 1168:
        raise Refused("content")
    suite = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    sealed = data[at + 2 : at + 2 + k]
    content_key = suite.decrypt(sealed, kem_private, info=b"kz-diagnostics batch v1\x00" + hd)
    at += 2 + k
    prefix = bytes.fromhex(header["nonce_prefix"])
    chunks, index = [], 0
    (length,) = struct.unpack(">I", data[at : at + 4])
    if length == 0:
        raise Refused("content")
    while length:
        if not 16 <= length <= 65552:
            raise Refused("content")
        ciphertext = data[at + 4 : at + 4 + length]
        at += 4 + length
        (following,) = struct.unpack(">I", data[at : at + 4])
        # nonce = prefix (7) ‖ chunk number (4, big-endian) ‖ 0x01 on the final chunk, else 0x00
        nonce = prefix + index.to_bytes(4, "big") + (b"\x00" if following else b"\x01")
        try:
            plain = AESGCM(content_key).decrypt(nonce, ciphertext, hd)
        except InvalidTag:
            raise Refused("content") from None
        if not plain.endswith(b"\n") and (plain or index or following):
            raise Refused("content")
        chunks.append((nonce, plain))
        index, length = index + 1, following
    if at + 4 != len(data) - 64:
        raise Refused("content")
    return header, hd, content_key, chunks, signed


@pytest.fixture(scope="module")
def keys():
    school = ed25519.Ed25519PublicKey.from_public_bytes(bytes.fromhex(KEYS["school_public_hex"]))
    kem, centre_fp = centre_keys(bytes.fromhex(KEYS["centre_private_hex"]))
    return school, kem, centre_fp


@pytest.mark.parametrize("name", list(POSITIVE))
def test_the_independent_reader_decodes_every_positive_vector(keys, name):
    school, kem, centre_fp = keys
    vector, values = POSITIVE[name], POSITIVE[name]["values"]
    data = (VECTORS / "positive" / vector["file"]).read_bytes()
    header, hd, content_key, chunks, signed = read(data, school, kem)
    assert hashlib.sha256(data).hexdigest() == values["batch_hash"]
    assert header["recipient"] == centre_fp == KEYS["centre_fingerprint"]
    school_fp = fingerprint(b"kz-diagnostics school key v1\x00", school.public_bytes_raw())
    assert header["school_key"] == school_fp
    assert hd.hex() == values["hd_hex"]
    assert content_key.hex() == values["content_key_hex"]
    assert [nonce.hex() for nonce, _plain in chunks] == [c["nonce_hex"] for c in values["chunks"]]
    assert signed.hex() == values["signed_sha256_hex"]
    assert values["signed_bytes"] == {"first": 0, "last": len(data) - 65, "count": len(data) - 64}
    plaintext = b"".join(plain for _nonce, plain in chunks)
    assert plaintext == (VECTORS / "positive" / vector["records"]).read_bytes()
    lines = plaintext.split(b"\n")[:-1]
    assert len(lines) == sum(header["counts"].values()) == vector["records_count"]


def test_several_chunks_and_an_empty_stream_are_among_the_vectors(keys):
    assert len(POSITIVE["several_chunks"]["values"]["chunks"]) > 1
    empty = POSITIVE["empty"]["values"]["chunks"]
    assert [chunk["length"] for chunk in empty] == [16]


def test_the_independent_reader_refuses_a_chunk_split_in_a_line(keys):
    school, kem, _fp = keys
    data = (VECTORS / "negative" / "chunk_splits_a_line.dxb").read_bytes()
    with pytest.raises(Refused, match="content"):
        read(data, school, kem)


def test_the_independent_reader_refuses_a_header_that_is_not_canonical(keys):
    school, kem, _fp = keys
    data = (VECTORS / "negative" / "header_not_canonical_whitespace.dxb").read_bytes()
    with pytest.raises(Refused, match="header_canonical"):
        read(data, school, kem)

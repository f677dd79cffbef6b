"""The one chunked AEAD stream: the nonce layout FORMAT.md and the backup format document,
and the STREAM properties both files rely on."""

import os

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from diagnostics.batch.stream import LAST, MIDDLE, Stream, frame, nonce

KEY, PREFIX, AAD = bytes(range(32)), b"\x07" * 7, b"header"


def sealed_chunks(*parts):
    stream = Stream(KEY, PREFIX, AAD)
    return [stream.seal(part, last=i == len(parts) - 1) for i, part in enumerate(parts)]


def test_the_nonce_is_prefix_then_number_then_flag():
    assert nonce(PREFIX, 258, LAST) == PREFIX + b"\x00\x00\x01\x02\x01"
    assert nonce(PREFIX, 0, MIDDLE) == PREFIX + b"\x00\x00\x00\x00\x00"


def test_a_chunk_opens_with_plain_aes_gcm_under_the_documented_nonce():
    first, second = sealed_chunks(b"one", b"two")
    aead = AESGCM(KEY)
    assert aead.decrypt(PREFIX + b"\x00\x00\x00\x00\x00", first, AAD) == b"one"
    assert aead.decrypt(PREFIX + b"\x00\x00\x00\x01\x01", second, AAD) == b"two"


def test_chunks_open_in_order_and_a_frame_carries_the_length():
    chunks = sealed_chunks(b"a" * 10, b"", b"c")
    reader = Stream(KEY, PREFIX, AAD)
    opened = [reader.open(chunk, last=i == 2) for i, chunk in enumerate(chunks)]
    assert opened == [b"a" * 10, b"", b"c"]
    assert frame(chunks[0]) == (26).to_bytes(4, "big") + chunks[0]


@pytest.mark.parametrize(
    "order, last",
    [((1, 0), (False, True)), ((0, 0), (False, True)), ((0,), (True,)), ((1,), (True,))],
    ids=["swapped", "repeated", "cut after the first", "first dropped"],
)
def test_a_changed_order_or_end_does_not_open(order, last):
    chunks = sealed_chunks(b"first", b"second")
    reader = Stream(KEY, PREFIX, AAD)
    with pytest.raises(InvalidTag):
        for index, flag in zip(order, last, strict=True):
            reader.open(chunks[index], last=flag)


def test_a_failed_open_does_not_step_forward():
    chunks = sealed_chunks(b"first", b"last")
    reader = Stream(KEY, PREFIX, AAD)
    with pytest.raises(InvalidTag):
        reader.open(chunks[0], last=True)
    assert reader.open(chunks[0], last=False) == b"first"
    assert reader.open(chunks[1], last=True) == b"last"


def test_other_associated_data_or_key_does_not_open():
    (chunk,) = sealed_chunks(b"data")
    with pytest.raises(InvalidTag):
        Stream(KEY, PREFIX, b"other header").open(chunk, last=True)
    with pytest.raises(InvalidTag):
        Stream(os.urandom(32), PREFIX, AAD).open(chunk, last=True)


def test_a_marker_outside_the_chunk_numbers_is_sealed_apart():
    stream = Stream(KEY, PREFIX, AAD)
    check = stream.seal_at(0xFFFFFFFF, 2, b"")
    assert stream.open_at(0xFFFFFFFF, 2, check) == b""
    assert stream.index == 0
    with pytest.raises(ValueError):
        Stream(KEY, b"short", AAD)

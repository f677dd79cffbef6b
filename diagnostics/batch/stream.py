"""The one chunked AEAD stream of the app's encrypted files: batches and backups.

AES-256-GCM in the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, 2015): chunk
number `i` is sealed under the nonce prefix (7 bytes) ‖ `i` (4 bytes, big-endian) ‖ a flag
byte (1 on the last chunk, 0 on the others), and every chunk authenticates the same associated
data. A removed, reordered, repeated or appended chunk, or a stream cut short, fails to open.
The framing around the chunks (length fields, end marker) belongs to each file format.
"""

import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = 7  # bytes of random nonce prefix; with the 4-byte number and the flag, 96 bits
TAG = 16  # bytes of GCM tag after every chunk's ciphertext
MIDDLE, LAST = 0, 1  # the flag byte of a chunk


def nonce(prefix, index, flag):
    """The 12-byte nonce of chunk `index` (or of a format's own marker, with its own flag)."""
    return prefix + struct.pack(">IB", index, flag)


def frame(sealed):
    """A sealed chunk as it is stored: its 4-byte length, then the bytes."""
    return struct.pack(">I", len(sealed)) + sealed


class Stream:
    """One stream under one key: seals (or opens) chunk after chunk, numbering them from 0."""

    def __init__(self, key, prefix, associated):
        if len(prefix) != PREFIX:
            raise ValueError("nonce prefix length")
        self.aead, self.prefix, self.associated = AESGCM(key), prefix, associated
        self.index = 0

    def seal(self, data, last):
        """The next chunk, sealed."""
        sealed = self.seal_at(self.index, LAST if last else MIDDLE, data)
        self.index += 1
        return sealed

    def open(self, sealed, last):
        """The next chunk's plaintext; InvalidTag (and no step forward) when it does not open."""
        data = self.open_at(self.index, LAST if last else MIDDLE, sealed)
        self.index += 1
        return data

    def seal_at(self, index, flag, data):
        return self.aead.encrypt(nonce(self.prefix, index, flag), data, self.associated)

    def open_at(self, index, flag, sealed):
        return self.aead.decrypt(nonce(self.prefix, index, flag), sealed, self.associated)

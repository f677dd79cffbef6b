"""The one key derivation from a passphrase: scrypt (RFC 7914) to a 32-byte AES key.

Used by the centre's private key file (sync/FORMAT.md) and by the backup file
(docs/backup-format.md), which store the same settings in different shapes.
"""

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

LOG2_N, R, P = 15, 8, 1  # what the app writes: 32 MiB and about 0.1 s on a school laptop
# The most a file may ask for: 128 MiB (128 * r * 2**log2_n bytes) and twice that work.
MIN_LOG2_N, MAX_LOG2_N, MAX_R, MAX_P = 14, 17, 8, 2


def within_limits(log2_n, r, p):
    """True when the settings are real integers no costlier than the limits above.

    Checked before scrypt runs: a file is not authenticated until the passphrase is, so its
    settings could otherwise ask for gigabytes of memory and minutes of work.
    """
    numbers = all(type(value) is int for value in (log2_n, r, p))
    return numbers and MIN_LOG2_N <= log2_n <= MAX_LOG2_N and 1 <= r <= MAX_R and 1 <= p <= MAX_P


def log2_of(n):
    """log2 of `n` when it is a power of two given as an integer, else None."""
    if type(n) is not int or n < 1 or n & (n - 1):
        return None
    return n.bit_length() - 1


def passphrase_key(passphrase, salt, log2_n=LOG2_N, r=R, p=P):
    """The 32-byte key scrypt derives from the passphrase (UTF-8) and salt."""
    kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))

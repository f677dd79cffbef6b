"""One-time codes: unguessable, easy to read aloud and to type."""

import secrets

# No 0/O, 1/I/L: nothing a child can confuse. 31 letters, 10 of them ≈ 49.5 bits.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text):
    """What the child typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:40]


def display(code):
    """Grouped for reading: ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}"

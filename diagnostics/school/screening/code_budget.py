"""How many wrong codes one network address may type: a budget that refills by itself.

A class often reaches the laptop through one Wi-Fi address, so a lock on the address would
lock out every child in the room because of one child's typo. Instead each address may type
WRONG_CODES_PER_WINDOW wrong codes in any WINDOW_SECONDS; beyond that, codes from the address
wait until the oldest wrong code of the window is older than the window (at most a minute, and
a few seconds while a class types steadily). A right code never counts against the budget.

Why this keeps guessing hopeless: a code is 10 letters of a 31-letter alphabet,
31**10 ≈ 8.2e14 codes (≈ 49.5 bits). One address gets at most 20 guesses a minute,
20 * 60 * 24 * 365 ≈ 1.05e7 guesses a year. Even with 10,000 codes open at once (far more
than a school ever has), each guess hits one with probability 1e4 / 8.2e14 ≈ 1.2e-11, so a
whole year of guessing from one address succeeds with probability ≈ 1.3e-4; a code is open
for hours, not a year, which makes it smaller still by three orders of magnitude.

While the budget is empty no code is looked up, a right one included: letting right codes
through would tell a guesser each hit at full speed, and the budget would slow nothing.
"""

import time

from diagnostics.db import transaction
from diagnostics.queries import throttle as q

WRONG_CODES_PER_WINDOW = 20
WINDOW_SECONDS = 60
KEY_PREFIX = "code-ip:"


def _key(address):
    return f"{KEY_PREFIX}{address}"


def seconds_to_wait(db, address, at=None):
    """0 while the address may type a code; otherwise whole seconds until it may again."""
    at = time.time() if at is None else at
    recent = q.failure_times(db, _key(address), at - WINDOW_SECONDS)
    if len(recent) < WRONG_CODES_PER_WINDOW:
        return 0
    frees_at = recent[WRONG_CODES_PER_WINDOW - 1] + WINDOW_SECONDS
    return max(1, int(frees_at - at + 0.999))


def record_wrong_code(db, address, at=None):
    with transaction(db):
        q.record_failure(db, _key(address), time.time() if at is None else at)


def waiting_addresses(db, at=None):
    """The addresses whose budget is empty now, with their recent wrong codes."""
    at = time.time() if at is None else at
    rows = q.keys_failing_since(db, KEY_PREFIX, at - WINDOW_SECONDS, WRONG_CODES_PER_WINDOW)
    return [
        {"address": row["key"][len(KEY_PREFIX) :], "wrong_codes": row["failures"]} for row in rows
    ]


def refill(db, address):
    """The psychologist lets an address type codes again at once."""
    with transaction(db):
        q.clear_failures(db, _key(address))

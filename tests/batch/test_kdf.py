"""The one passphrase key derivation: scrypt as RFC 7914 defines it, and the cost limits a
file that is not yet authenticated may ask for."""

import pytest

from diagnostics.batch.kdf import LOG2_N, P, R, log2_of, passphrase_key, within_limits


def test_the_key_is_rfc_7914_scrypt():
    # RFC 7914, section 12, second vector ("password", "NaCl", N=1024, r=8, p=16): its first
    # 32 bytes, as scrypt's output is a PBKDF2 output whose prefix does not depend on length.
    expected = "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
    assert passphrase_key("password", b"NaCl", 10, 8, 16).hex() == expected


def test_the_passphrase_is_utf8_and_the_settings_matter():
    key = passphrase_key("тау-көл", b"s" * 16, 14, 8, 1)
    assert key == passphrase_key("тау-көл", b"s" * 16, 14, 8, 1)
    assert key != passphrase_key("тау-кол", b"s" * 16, 14, 8, 1)
    assert key != passphrase_key("тау-көл", b"s" * 16, 14, 4, 1)


def test_what_the_app_writes_is_within_the_limits():
    assert within_limits(LOG2_N, R, P)
    assert within_limits(14, 1, 1) and within_limits(17, 8, 2)


@pytest.mark.parametrize(
    "settings",
    [(13, 8, 1), (18, 8, 1), (15, 9, 1), (15, 0, 1), (15, 8, 3), (15, True, 1), (15.0, 8, 1)],
)
def test_costlier_or_odd_settings_are_refused(settings):
    assert not within_limits(*settings)


def test_log2_of_takes_only_integer_powers_of_two():
    assert log2_of(2**15) == 15 and log2_of(1) == 0
    assert [log2_of(n) for n in (0, 3, 2**15 + 1, -8, True, 32768.0, "32768")] == [None] * 7

"""Kazakh suffixes after a numeral written in digits ("1-і", "6-сы", "10-нан").

A suffix after a number follows the last word of the number as it is spoken: 21 is
"жиырма бір", so it takes the suffix of "бір" (21-і); 40 is "қырық" (40-ы); 2000 is
"екі мың" (2000-ы). Each spoken word is described once below, by its last sound and
its vowel harmony, and every suffix is derived from that.
"""

# The last word of a spoken number: (word, its last sound kind, back vowels?).
# Sound kinds: "vowel"; "voiced" (р, з, л, у — the ablative takes -дан/-ден);
# "voiceless" (ш, т, с, қ — -тан/-тен); "nasal" (н, ң — -нан/-нен).
UNITS = {
    0: ("нөл", "voiced", False),
    1: ("бір", "voiced", False),
    2: ("екі", "vowel", False),
    3: ("үш", "voiceless", False),
    4: ("төрт", "voiceless", False),
    5: ("бес", "voiceless", False),
    6: ("алты", "vowel", True),
    7: ("жеті", "vowel", False),
    8: ("сегіз", "voiced", False),
    9: ("тоғыз", "voiced", True),
}
TENS = {
    1: ("он", "nasal", True),
    2: ("жиырма", "vowel", True),
    3: ("отыз", "voiced", True),
    4: ("қырық", "voiceless", True),
    5: ("елу", "voiced", False),
    6: ("алпыс", "voiceless", True),
    7: ("жетпіс", "voiceless", False),
    8: ("сексен", "nasal", False),
    9: ("тоқсан", "nasal", True),
}
HUNDRED = ("жүз", "voiced", False)
# Powers of a thousand, largest first: мың, миллион, миллиард.
POWERS = (
    (10**9, ("миллиард", "voiced", True)),
    (10**6, ("миллион", "nasal", True)),
    (10**3, ("мың", "nasal", True)),
)


def last_word(number):
    """The last word of the number as spoken in Kazakh, with its sound and harmony."""
    number = abs(int(number))
    if number % 10:
        return UNITS[number % 10]
    if number % 100:
        return TENS[number // 10 % 10]
    if number % 1000:
        return HUNDRED
    for power, word in POWERS:
        if number and number % power == 0:
            return word
    return UNITS[0]


def possessive_suffix(number):
    """The third-person possessive after a number: 1-і, 2-сі, 6-сы, 9-ы, 10-ы."""
    _word, sound, back = last_word(number)
    vowel = "ы" if back else "і"
    return "с" + vowel if sound == "vowel" else vowel


def ablative_suffix(number):
    """The ablative ("from", "than") after a number: 1-ден, 3-тен, 10-нан, 20-дан."""
    _word, sound, back = last_word(number)
    first = {"voiceless": "т", "nasal": "н"}.get(sound, "д")
    return first + ("ан" if back else "ен")


def ordinal(number):
    """The number with its possessive, as in "8 сұрақтың 1-і" (the first of eight)."""
    return f"{number}-{possessive_suffix(number)}"

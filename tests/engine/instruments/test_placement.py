"""Norm groups and unanswered items: the band raised errs towards flagging, never away."""

from diagnostics.engine.instruments.placement import place

SCALE = {
    "id": "total",
    "interpretation": [
        {
            "applies_to": {"sex": "f"},
            "source": "girls",
            "bands": [
                {"from": 0, "id": "low", "level": "none"},
                {"from": 10, "id": "high", "level": "risk"},
            ],
        },
        {
            "applies_to": {"sex": "m"},
            "source": "boys",
            "bands": [
                {"from": 0, "id": "low", "level": "none"},
                {"from": 15, "id": "high", "level": "risk"},
            ],
        },
    ],
}


def test_an_unknown_sex_takes_the_norm_group_that_flags():
    placed = place(SCALE, 12, 12, 5, {"age": None, "sex": None, "grade": None})
    assert placed["band"]["level"] == "risk" and placed["group"]["source"] == "girls"
    assert placed["assumed"] and placed["reason"] == "needs_sex"


def test_a_known_sex_takes_its_own_group():
    placed = place(SCALE, 12, 12, 5, {"age": None, "sex": "m", "grade": None})
    assert placed["band"]["level"] == "none" and not placed["assumed"]


def test_a_range_of_possible_values_raises_only_what_every_value_reaches():
    girls = {"age": None, "sex": "f", "grade": None}
    assert place(SCALE, 8, 11, 5, girls)["band"]["id"] == "low"
    assert place(SCALE, 10, 14, 5, girls)["band"]["id"] == "high"

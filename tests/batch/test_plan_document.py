"""Round plans: signed by the centre, verified by the school, refused when anything is off."""

import copy

import pytest

from diagnostics.batch.keys import CentrePrivate
from diagnostics.batch.plans import (
    PlanRefused,
    battery_for_grade,
    make_plan,
    missing_for,
    planned_instrument,
    read_plan,
    takes_part,
)


def instrument(collection, instrument_id):
    return planned_instrument(collection[instrument_id])


def draft(collection, algorithm, **changes):
    return {
        "title": {"kk": "Күзгі скрининг", "ru": "Осенний скрининг"},
        "school_year": "2026-2027",
        "round": 1,
        "mode": "anonymous",
        "window": {"from": "2026-12-01", "to": "2026-12-20"},
        "batteries": [
            {"grades": [5, 8], "instruments": [instrument(collection, "gad7")]},
            {"grades": [9, 11], "instruments": [instrument(collection, "phqa")]},
        ],
        "schools": [],
        "districts": ["Талғар ауданы"],
        "algorithm": {"id": algorithm.id, "version": str(algorithm.version)},
        **changes,
    }


@pytest.fixture(scope="module")
def centre():
    return CentrePrivate.generate()


def test_a_plan_signed_by_the_centre_reads_back_as_made(centre, collection, shipped_algorithm):
    document = make_plan(centre, draft(collection, shipped_algorithm))
    plan = read_plan(document, centre.public)
    assert plan == document["plan"]
    assert battery_for_grade(plan, 7) == ["gad7"] and battery_for_grade(plan, 10) == ["phqa"]
    assert battery_for_grade(plan, 4) is None and battery_for_grade(plan, None) is None
    assert takes_part(plan, "KZ-1", "Талғар ауданы")
    assert not takes_part(plan, "KZ-1", "Алатау ауданы")
    assert missing_for(plan, collection, shipped_algorithm, "ru") == []


@pytest.mark.parametrize(
    "tamper",
    [
        lambda plan: plan["batteries"][0]["instruments"].pop(),
        lambda plan: plan.update(mode="identified"),
        lambda plan: plan["window"].update(to="2027-06-30"),
        lambda plan: plan["districts"].append("Алатау ауданы"),
    ],
)
def test_a_tampered_plan_is_refused(centre, collection, shipped_algorithm, tamper):
    document = make_plan(centre, draft(collection, shipped_algorithm))
    changed = copy.deepcopy(document)
    tamper(changed["plan"])
    with pytest.raises(PlanRefused, match="not signed by the centre|not a round plan"):
        read_plan(changed, centre.public)


def test_a_plan_signed_by_another_key_is_refused(centre, collection, shipped_algorithm):
    stranger = CentrePrivate.generate()
    document = make_plan(stranger, draft(collection, shipped_algorithm))
    with pytest.raises(PlanRefused, match="not signed by the centre"):
        read_plan(document, centre.public)
    # Even claiming the trusted centre's fingerprint does not help: the signature decides.
    document["plan"]["centre"] = centre.public.fingerprint
    with pytest.raises(PlanRefused, match="not signed by the centre"):
        read_plan(document, centre.public)


@pytest.mark.parametrize(
    "change",
    [
        {"school_year": "2026-2028"},
        {"round": 0},
        {"round": True},
        {"mode": "secret"},
        {"window": {"from": "2026-12-20", "to": "2026-12-01"}},
        {"title": {"ru": "Только по-русски"}},
        {"batteries": []},
    ],
)
def test_a_malformed_plan_is_not_made(centre, collection, shipped_algorithm, change):
    with pytest.raises((ValueError, TypeError, KeyError)):
        make_plan(centre, draft(collection, shipped_algorithm, **change))


def test_overlapping_grade_bands_are_not_made(centre, collection, shipped_algorithm):
    bands = [
        {"grades": [5, 9], "instruments": [instrument(collection, "gad7")]},
        {"grades": [9, 11], "instruments": [instrument(collection, "phqa")]},
    ]
    with pytest.raises(ValueError):
        make_plan(centre, draft(collection, shipped_algorithm, batteries=bands))


def test_what_the_school_lacks_is_named_by_title_and_version(centre, collection, shipped_algorithm):
    plan = draft(collection, shipped_algorithm)
    plan["batteries"][0]["instruments"][0]["version"] = "99"
    plan["algorithm"]["version"] = "2099.1"
    missing = missing_for(make_plan(centre, plan)["plan"], collection, shipped_algorithm, "ru")
    gad7 = collection["gad7"].title("ru")
    assert f"{gad7} (99)" in missing
    assert any("2099.1" in entry for entry in missing)
    assert not any(entry.startswith("gad7") for entry in missing)

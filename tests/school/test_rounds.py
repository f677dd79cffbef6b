"""A round plan becomes sessions: one per class of its grades, the same in every school."""

import json

import pytest

from diagnostics.batch.documents import centre_key_document
from diagnostics.batch.keys import CentrePrivate
from diagnostics.batch.plans import PlanRefused, make_plan, planned_instrument
from diagnostics.db import connect, upgrade
from diagnostics.queries.school import classroom
from diagnostics.school.demo import fill_demo
from diagnostics.school.screening.rounds import check_usable, prepare_sessions
from diagnostics.school.sync.plans import receive_plan, received_plans
from diagnostics.school.sync.trust import install_centre

DEMO_SCHOOL = {"school_code": "DEMO-0001", "district": "Қонаев қаласы"}


@pytest.fixture(scope="module")
def centre():
    return CentrePrivate.generate()


def a_plan(centre, collection, algorithm, **changes):
    return a_plan_file(centre, collection, algorithm, **changes)["plan"]


def a_plan_file(centre, collection, algorithm, **changes):
    draft = {
        "title": {"kk": "Күзгі скрининг", "ru": "Осенний скрининг"},
        "school_year": "2026-2027",
        "round": 1,
        "mode": "anonymous",
        "window": {"from": "2026-12-01", "to": "2026-12-20"},
        "batteries": [
            {"grades": [5, 8], "instruments": [planned_instrument(collection["gad7"])]},
            {"grades": [9, 11], "instruments": [planned_instrument(collection["phqa"])]},
        ],
        "schools": [],
        "districts": [],
        "algorithm": {"id": algorithm.id, "version": str(algorithm.version)},
        **changes,
    }
    return make_plan(centre, draft)


def demo_school(path, centre):
    """The demo school, trusting `centre` as if its key file had been read over the phone."""
    upgrade(path)
    db = connect(path)
    fill_demo(db)
    key = centre_key_document(centre)
    install_centre(db, key, centre.public.fingerprint)
    return db


def sessions_made(db):
    """What a school prepared, without its own ids: class, battery, mode, window, plan, codes."""
    return sorted(
        (
            row["class_name"],
            row["battery"],
            row["mode"],
            row["opens_at"],
            row["closes_at"],
            row["plan_id"],
            len(classroom.codes_of_session(db, row["id"])),
        )
        for row in classroom.list_sessions(db)
    )


def test_a_plan_becomes_the_same_sessions_in_two_schools(
    tmp_path, centre, collection, shipped_algorithm
):
    document = a_plan_file(centre, collection, shipped_algorithm)
    first = demo_school(tmp_path / "a.sqlite3", centre)
    second = demo_school(tmp_path / "b.sqlite3", centre)
    for db in (first, second):
        plan = receive_plan(db, document)
        prepared = prepare_sessions(db, collection, plan, user_id=1, lang="kk")
        assert [name for name, _, _ in prepared.sessions] == ["5Ә", "7Б", "9Қ", "11А"]
    made = sessions_made(first)
    assert made == sessions_made(second)
    batteries = {name: json.loads(battery) for name, battery, *_ in made}
    assert batteries == {"5Ә": ["gad7"], "7Б": ["gad7"], "9Қ": ["phqa"], "11А": ["phqa"]}
    assert {row[2:6] for row in made} == {
        ("anonymous", "2026-12-01T00:00:00", "2026-12-20T23:59:59", plan["id"])
    }
    assert all(codes == 12 for *_, codes in made)  # every child of the class gets a code


def test_preparing_again_makes_nothing_twice(tmp_path, centre, collection, shipped_algorithm):
    db = demo_school(tmp_path / "s.sqlite3", centre)
    plan = receive_plan(db, a_plan_file(centre, collection, shipped_algorithm))
    prepare_sessions(db, collection, plan, user_id=1, lang="ru")
    again = prepare_sessions(db, collection, plan, user_id=1, lang="ru")
    assert again.sessions == [] and again.already == ["5Ә", "7Б", "9Қ", "11А"]
    assert len(classroom.list_sessions(db)) == 4


def test_a_plan_for_another_school_year_prepares_nothing(
    tmp_path, centre, collection, shipped_algorithm
):
    db = demo_school(tmp_path / "s.sqlite3", centre)
    plan = receive_plan(
        db, a_plan_file(centre, collection, shipped_algorithm, school_year="2027-2028")
    )
    assert prepare_sessions(db, collection, plan, user_id=1, lang="ru").sessions == []


def test_a_plan_naming_a_version_the_school_lacks_is_refused_by_name(
    centre, collection, shipped_algorithm
):
    newer = {**planned_instrument(collection["gad7"]), "version": "99"}
    bands = [{"grades": [5, 11], "instruments": [newer]}]
    plan = a_plan(centre, collection, shipped_algorithm, batteries=bands)
    with pytest.raises(PlanRefused) as refused:
        check_usable(None, plan, collection, shipped_algorithm, DEMO_SCHOOL, "ru")
    assert collection["gad7"].title("ru") in refused.value.reason
    assert "99" in refused.value.reason


def test_a_plan_for_other_districts_is_refused(tmp_path, centre, collection, shipped_algorithm):
    db = demo_school(tmp_path / "s.sqlite3", centre)
    plan = a_plan(centre, collection, shipped_algorithm, districts=["Алатау ауданы"])
    with pytest.raises(PlanRefused):
        check_usable(None, plan, collection, shipped_algorithm, DEMO_SCHOOL, "ru")
    named = a_plan(centre, collection, shipped_algorithm, schools=["DEMO-0001"])
    check_usable(db, named, collection, shipped_algorithm, DEMO_SCHOOL, "ru")


def test_the_school_keeps_only_plans_its_trusted_centre_signed(
    tmp_path, centre, collection, shipped_algorithm
):
    db = demo_school(tmp_path / "s.sqlite3", centre)
    stranger = CentrePrivate.generate()
    with pytest.raises(PlanRefused):
        receive_plan(db, a_plan_file(stranger, collection, shipped_algorithm))
    kept = receive_plan(db, a_plan_file(centre, collection, shipped_algorithm))
    assert received_plans(db) == [kept]


def test_an_instrument_whose_licence_needs_a_permission_is_refused_by_title(
    tmp_path, centre, collection, shipped_algorithm
):
    """RCADS-25's licence needs a permission; until the school records it, no session."""
    db = demo_school(tmp_path / "s.sqlite3", centre)
    bands = [{"grades": [5, 11], "instruments": [planned_instrument(collection["rcads25"])]}]
    plan = a_plan(centre, collection, shipped_algorithm, batteries=bands)
    with pytest.raises(PlanRefused) as refused:
        check_usable(db, plan, collection, shipped_algorithm, DEMO_SCHOOL, "kk")
    assert collection["rcads25"].title("kk") in refused.value.reason
    assert "rcads25" not in refused.value.reason

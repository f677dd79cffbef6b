"""The demo school: synthetic classes, students and consents (no real child)."""

import random
import sqlite3
from datetime import date

from werkzeug.security import generate_password_hash

from diagnostics.db import transaction
from diagnostics.queries import instance as school
from diagnostics.queries import users
from diagnostics.queries.school import roster

DEMO_USERNAME = "psychologist"
DEMO_PASSWORD = "demo-password"
SCHOOL_YEAR = "2026-2027"
CLASSES = [("3А", 3), ("5Ә", 5), ("7Б", 7), ("9Қ", 9), ("11А", 11)]
GIRLS = ["Аружан", "Әсел", "Айгерім", "Жұлдыз", "Мария", "Анна", "Ұлжан", "Гүлназ", "Дана", "Інжу"]
BOYS = ["Нұрлан", "Ерасыл", "Әлихан", "Дмитрий", "Іляс", "Ғалым", "Арман", "Иван", "Өмір", "Қайрат"]
SURNAMES = [
    "Сейітов",
    "Жұмабаев",
    "Қасымов",
    "Иванов",
    "Әбенов",
    "Оспанов",
    "Петров",
    "Нұрланов",
    "Ғаббасов",
    "Өтегенов",
    "Смирнов",
    "Құрманов",
]


class RealDataPresent(Exception):
    """The instance holds a real school: the demo must not be mixed into it."""


# A finished autumn screening of 9Қ whose results span every level: what each synthetic
# child answered on the PHQ-A and the GAD-7 (every other asked item gets its lowest answer).
DEMO_BATTERY = ["phqa", "gad7"]
DEMO_PATTERNS = [
    {},  # no signs
    {("gad7", f"q{i}"): 1 for i in range(1, 8)},  # GAD-7 7: mild → attention
    {("gad7", f"q{i}"): 2 for i in range(1, 8)},  # GAD-7 14: moderate → risk
    {("phqa", "q9"): 1, ("phqa", "q1"): 2, ("phqa", "q2"): 2},  # item 9 → critical
]
# The spring screening before it (with `rounds=2`), so that the history charts show a change:
# seats 2, 6, 10 went from 14 to 7 on the GAD-7, seats 3, 7, 11 from 7 to 14.
SPRING = {
    "title": "Көктемгі скрининг / Весенний скрининг",
    "day": "2026-04-15",
    "battery": ["gad7"],  # one questionnaire: enough for the history, and keeps the demo fast
    "patterns": [DEMO_PATTERNS[0], DEMO_PATTERNS[2], DEMO_PATTERNS[1], DEMO_PATTERNS[2]],
}
AUTUMN = {"title": "Күзгі скрининг / Осенний скрининг", "day": "2026-10-15"}


def fill_demo(db, collection=None, seed=2026, algorithm=None, rounds=1):
    """Create the demo school in an empty instance; refuse when real data is there.

    With the instrument collection, also a finished session whose results span every level
    (evaluated, with its follow-up cases, when the algorithm is given too); with `rounds=2`
    also the spring screening before it (added after it, so the autumn ids stay the same).
    """
    if school.get_school(db) is not None or roster.count_students(db) or users.count_users(db):
        raise RealDataPresent()
    rng = random.Random(seed)
    with transaction(db):
        school.create_school(
            db,
            "Демо-мектеп № 1 / Демо-школа № 1",
            "Алматы облысы",
            "Қонаев қаласы",
            "DEMO-0001",
            "kk",
            is_demo=True,
        )
        users.create_user(
            db, DEMO_USERNAME, "Әйгерім Демо", generate_password_hash(DEMO_PASSWORD), "psychologist"
        )
        for name, grade in CLASSES:
            class_id = roster.create_class(db, name, grade, SCHOOL_YEAR)
            for _ in range(12):
                _demo_student(db, rng, class_id, grade)
    if collection and all(i in collection for i in DEMO_BATTERY):
        _finished_session(db, collection, algorithm, class_id=4)
        if rounds == 2:
            _finished_session(db, collection, algorithm, class_id=4, screening=SPRING)
    return {"classes": len(CLASSES), "students": roster.count_students(db)}


def _finished_session(db, collection, algorithm, class_id, screening=AUTUMN):
    from diagnostics.queries.school import classroom as q
    from diagnostics.school.screening import classroom

    day = screening["day"]
    patterns = screening.get("patterns", DEMO_PATTERNS)
    battery = screening.get("battery", DEMO_BATTERY)
    opened = classroom.open_session(
        db,
        collection,
        title=screening["title"],
        class_id=class_id,
        mode="identified",
        battery=battery,
        opens_at=f"{day}T09:00:00",
        closes_at=f"{day}T15:00:00",
        user_id=1,
    )
    for index, code in enumerate(q.codes_of_session(db, opened.session_id)):
        pattern = patterns[index % len(patterns)]
        code_row = q.code_by_id(db, code["id"])
        with transaction(db):
            q.start_code(db, code["id"], "kk" if index % 2 else "ru", None, None, f"{day}T09:05:00")
        for position, instrument_id in enumerate(battery):
            _answer_all(db, collection, code_row, position, instrument_id, pattern)
            with transaction(db):  # as in a real lesson: a few minutes per questionnaire
                q.date_attempt(
                    db,
                    code["id"],
                    instrument_id,
                    f"{day}T09:{10 + 5 * position:02d}:00",
                    f"{day}T09:{13 + 5 * position:02d}:30",
                )
        classroom.finish_if_done(db, collection, q.code_by_id(db, code["id"]))
        if algorithm is not None:
            _evaluate(db, collection, algorithm, code_row, screening)


def _evaluate(db, collection, algorithm, code_row, screening):
    """Evaluate a demo child; the spring round's cases are long closed, so it opens none."""
    from diagnostics.engine.algorithm import evaluate
    from diagnostics.queries.school import followup as followup_queries
    from diagnostics.school.followup import evaluation as followup
    from diagnostics.settings import all_settings

    with transaction(db):
        if screening is AUTUMN:
            followup.evaluate_code(db, collection, algorithm, code_row)
            return
        outcomes = followup.outcomes_of_code(db, collection, code_row["id"])
        evaluation = evaluate(algorithm, outcomes, all_settings(db))
        at = f"{screening['day']}T16:00:00"
        followup_queries.add_evaluation(db, code_row["id"], "answers", evaluation, at)


def _answer_all(db, collection, code_row, position, instrument_id, pattern):
    from diagnostics.engine.instruments import answer_in_order
    from diagnostics.school.screening import classroom

    instrument = collection[instrument_id]
    answers = answer_in_order(
        instrument,
        lambda item: pattern.get(
            (instrument_id, item["id"]), min(instrument.option_values(item["id"]))
        ),
    )
    for item_id, value in answers.items():
        classroom.record_answer(db, collection, code_row, position, item_id, value)


def _demo_student(db, rng, class_id, grade):
    sex = rng.choice("fm")
    first = rng.choice(GIRLS if sex == "f" else BOYS)
    surname = rng.choice(SURNAMES) + ("а" if sex == "f" else "")
    born = date(2026 - grade - 6 - rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
    try:
        student_id = roster.create_student(
            db, class_id, surname, first, None, born.isoformat(), sex
        )
    except sqlite3.IntegrityError:  # the same name and birth date twice: draw another child
        return _demo_student(db, rng, class_id, grade)
    given = date(2026, 9, rng.randint(1, 20)).isoformat()
    if rng.random() < 0.92:  # who gave it is what the psychologist types: words, not a code
        who = "ата-анасы / родитель"
        roster.add_consent(db, student_id, "representative", "screening", given, who)
        roster.add_consent(db, student_id, "representative", "followup", given, who)
    if grade >= 10:
        roster.add_consent(db, student_id, "student", "screening", given)
    roster.add_consent(db, student_id, "assent", "screening", given)

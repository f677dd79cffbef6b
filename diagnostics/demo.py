"""The demo school: synthetic classes, students and consents (no real child)."""

import random
import sqlite3
from datetime import date

from werkzeug.security import generate_password_hash

from .queries import roster, school, users

DEMO_USERNAME = "psychologist"
DEMO_PASSWORD = "demo-password"
SCHOOL_YEAR = "2026-2027"
CLASSES = [("3А", 3), ("5Ә", 5), ("7Б", 7), ("9Қ", 9), ("11А", 11)]
GIRLS = ["Аружан", "Әсел", "Айгерім", "Жұлдыз", "Мария", "Анна", "Ұлжан", "Гүлназ", "Дана", "Інжу"]
BOYS = ["Нұрлан", "Ерасыл", "Әлихан", "Дмитрий", "Іляс", "Ғалым", "Арман", "Иван", "Өмір", "Қайрат"]
SURNAMES = ["Сейітов", "Жұмабаев", "Қасымов", "Иванов", "Әбенов", "Оспанов", "Петров", "Нұрланов",
            "Ғаббасов", "Өтегенов", "Смирнов", "Құрманов"]


class RealDataPresent(Exception):
    """The instance holds a real school: the demo must not be mixed into it."""


def fill_demo(db, seed=2026):
    """Create the demo school in an empty instance; refuse when real data is there."""
    if school.get_school(db) is not None or roster.count_students(db) or users.count_users(db):
        raise RealDataPresent()
    rng = random.Random(seed)
    with db.conn:
        school.create_school(db, "Демо-мектеп № 1 / Демо-школа № 1", "Алматы облысы",
                             "Қонаев қаласы", "DEMO-0001", "kk", is_demo=True)
        users.create_user(db, DEMO_USERNAME, "Әйгерім Демо", generate_password_hash(DEMO_PASSWORD),
                          "psychologist")
        for name, grade in CLASSES:
            class_id = roster.create_class(db, name, grade, SCHOOL_YEAR)
            for _ in range(12):
                _demo_student(db, rng, class_id, grade)
    return {"classes": len(CLASSES), "students": roster.count_students(db)}


def _demo_student(db, rng, class_id, grade):
    sex = rng.choice("fm")
    first = rng.choice(GIRLS if sex == "f" else BOYS)
    surname = rng.choice(SURNAMES) + ("а" if sex == "f" else "")
    born = date(2026 - grade - 6 - rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
    try:
        student_id = roster.create_student(db, class_id, surname, first, None,
                                           born.isoformat(), sex)
    except sqlite3.IntegrityError:  # the same name and birth date twice: draw another child
        return _demo_student(db, rng, class_id, grade)
    given = date(2026, 9, rng.randint(1, 20)).isoformat()
    if rng.random() < 0.92:
        roster.add_consent(db, student_id, "representative", "screening", given, "parent")
        roster.add_consent(db, student_id, "representative", "followup", given, "parent")
    if grade >= 10:
        roster.add_consent(db, student_id, "student", "screening", given)
    roster.add_consent(db, student_id, "assent", "screening", given)

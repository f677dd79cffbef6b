"""What an import would change in the roster, and applying all of it in one transaction."""

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date

from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.school import roster
from diagnostics.school.roster.sheets.rows import Refusal, StudentRow, read_students
from diagnostics.table_files import read_table


class ImportFailed(Exception):
    """Nothing was written; `reason` is a code, `params` fill its message."""

    def __init__(self, reason, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


@dataclass
class Plan:
    """Rows to add, to update (with what changes), already in the roster, and refused."""

    filename: str
    encoding: str
    school_year: str
    students: list = field(default_factory=list)  # every valid row, kept for re-checking
    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    new_classes: list = field(default_factory=list)
    # Students of the file's classes whom the file no longer lists: offered for the archive.
    missing: list = field(default_factory=list)
    iin_column: bool = False

    def changes(self):
        return len(self.added) + len(self.updated)

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)

    def outcome(self):
        """The part that a re-check must find the same before anything is written."""
        return (self.added, self.updated, self.new_classes, self.missing)


def school_year_of(today):
    """'2026-2027' from July 2026 to June 2027: lists for September are made in summer."""
    start = today.year if today.month >= 7 else today.year - 1
    return f"{start}-{start + 1}"


def plan_import(db, data, filename, today=None):
    """Read a file and compare it with the roster; write nothing."""
    today = today or date.today()
    table = read_table(data, filename)
    students, refused, columns = read_students(table, today)
    refused += _duplicates(students)
    bad_rows = {r.row for r in refused}
    plan = Plan(
        filename=filename,
        encoding=table.encoding,
        school_year=school_year_of(today),
        students=[s.to_dict() for s in students if s.row not in bad_rows],
        refused=sorted((r.to_dict() for r in refused), key=lambda r: r["row"]),
        iin_column="iin" in columns,
    )
    return compare_with_roster(db, plan)


def _duplicates(students):
    """Both rows of a child listed twice (same name and birth date), each naming the other."""
    first_seen, refused = {}, []
    for student in students:
        other = first_seen.setdefault(student.identity(), student.row)
        if other != student.row:
            refused.append(Refusal(other, "name", "duplicate", {"other": student.row}))
            refused.append(Refusal(student.row, "name", "duplicate", {"other": other}))
    return refused


def compare_with_roster(db, plan):
    """Fill added/updated/unchanged/new_classes/missing from the plan's rows and the roster."""
    rows = roster.students_for_matching(db)
    existing = RosterIndex(rows)
    classes = roster.classes_of_year(db, plan.school_year)
    plan.added, plan.updated, plan.unchanged = [], [], []
    plan.new_classes = sorted(
        {s["class_name"] for s in plan.students} - set(classes), key=_class_order
    )
    for data in plan.students:
        student = StudentRow(**data)
        match = existing.find(student)
        if match is None:
            plan.added.append(data)
            continue
        changes = _changes(match, student, classes, plan.school_year)
        middle = student.middle_name or match["middle_name"]
        entry = {**data, "middle_name": middle, "student_id": match["id"], "changes": changes}
        (plan.updated if changes else plan.unchanged).append(entry)
    plan.missing = _missing(rows, plan, classes)
    return plan


def _missing(rows, plan, classes):
    """Active students of a class the file lists (this school year) that no row matched."""
    listed = {classes[s["class_name"]]["id"] for s in plan.students if s["class_name"] in classes}
    matched = {entry["student_id"] for entry in plan.updated + plan.unchanged}
    return [
        {
            "student_id": row["id"],
            "last_name": row["last_name"],
            "first_name": row["first_name"],
            "middle_name": row["middle_name"],
            "birth_date": row["birth_date"],
            "sex": row["sex"],
            "class_name": row["class_name"],
        }
        for row in rows
        if row["class_id"] in listed and not row["archived_at"] and row["id"] not in matched
    ]


def _class_order(name):
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits or 0), name)


class RosterIndex:
    """The roster's children by name and birth date, for matching the rows of a file."""

    def __init__(self, rows):
        self.exact, self.loose = {}, {}
        for row in rows:
            names = (row["last_name"], row["first_name"], row["middle_name"] or "")
            key = tuple(n.casefold() for n in names) + (row["birth_date"],)
            self.exact.setdefault(key, row)
            self.loose.setdefault((key[0], key[1], key[3]), []).append(row)

    def find(self, student):
        """The child with this name and birth date; a missing middle name may differ."""
        key = student.identity()
        if key in self.exact:
            return self.exact[key]
        candidates = [
            row
            for row in self.loose.get((key[0], key[1], key[3]), [])
            if not (row["middle_name"] and key[2])
        ]
        return candidates[0] if len(candidates) == 1 else None


def _changes(row, student, classes, school_year):
    changes = []
    current = classes.get(student.class_name)
    if current is None or row["class_id"] != current["id"]:
        changes.append({"field": "class", "old": row["class_name"], "new": student.class_name})
    if row["sex"] != student.sex:
        changes.append({"field": "sex", "old": row["sex"], "new": student.sex})
    if student.middle_name and not row["middle_name"]:
        changes.append({"field": "middle_name", "old": "", "new": student.middle_name})
    if row["archived_at"]:
        changes.append({"field": "archived", "old": row["archived_at"][:10], "new": ""})
    return changes


def apply_plan(db, plan, allow_refused=False, archive_missing=False, at=None):
    """Re-check the plan against the roster, then write all of it or nothing.

    With `archive_missing`, the students of the file's classes whom it no longer lists are
    archived too; only from a file without refused rows (a refused row may be one of them).
    """
    if plan.refused and not allow_refused:
        raise ImportFailed("refused_rows", count=len(plan.refused))
    if archive_missing and plan.refused:
        raise ImportFailed("archive_with_refused")
    fresh = compare_with_roster(db, Plan.from_dict(plan.to_dict()))
    if fresh.outcome() != plan.outcome():
        raise ImportFailed("roster_changed")
    try:
        with transaction(db):
            _write(db, plan)
            for student in plan.missing if archive_missing else []:
                roster.set_student_archived(db, student["student_id"], at or now())
    except sqlite3.Error as error:
        raise ImportFailed("database", detail=str(error)) from None
    archived = len(plan.missing) if archive_missing else 0
    return {"added": len(plan.added), "updated": len(plan.updated), "archived": archived}


def _write(db, plan):
    classes = roster.classes_of_year(db, plan.school_year)
    ids = {name: row["id"] for name, row in classes.items()}
    for name, row in classes.items():
        if row["archived"] and any(d["class_name"] == name for d in plan.added + plan.updated):
            roster.set_class_archived(db, row["id"], False)
    for data in plan.added + plan.updated:
        if data["class_name"] not in ids:
            ids[data["class_name"]] = roster.create_class(
                db, data["class_name"], data["grade"], plan.school_year
            )
    for data in plan.added:
        roster.create_student(
            db,
            ids[data["class_name"]],
            data["last_name"],
            data["first_name"],
            data["middle_name"],
            data["birth_date"],
            data["sex"],
        )
    for data in plan.updated:
        class_id = ids[data["class_name"]]
        roster.update_student(db, data["student_id"], class_id, data["sex"], data["middle_name"])

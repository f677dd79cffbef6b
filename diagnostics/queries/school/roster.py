"""Classes, students and consents."""


def create_class(db, name, grade, school_year):
    return db.execute(
        "INSERT INTO classes (name, grade, school_year) VALUES (?, ?, ?)",
        [name, grade, school_year],
    ).lastrowid


def list_classes(db):
    return list(
        db.query("""
        SELECT classes.*, count(students.id) AS student_count
        FROM classes LEFT JOIN students
          ON students.class_id = classes.id AND students.archived_at IS NULL
        WHERE classes.archived = 0
        GROUP BY classes.id ORDER BY classes.grade, classes.name""")
    )


def create_student(db, class_id, last_name, first_name, middle_name, birth_date, sex):
    return db.execute(
        "INSERT INTO students (class_id, last_name, first_name, middle_name, birth_date, sex)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [class_id, last_name, first_name, middle_name, birth_date, sex],
    ).lastrowid


def students_in_class(db, class_id):
    return list(
        db.query(
            """
        SELECT * FROM students WHERE class_id = ? AND archived_at IS NULL
        ORDER BY last_name, first_name""",
            [class_id],
        )
    )


def count_students(db):
    return db.execute("SELECT count(*) FROM students WHERE archived_at IS NULL").fetchone()[0]


def add_consent(db, student_id, kind, scope, given_on, given_by=None):
    db.execute(
        "INSERT INTO consents (student_id, kind, scope, given_on, given_by) VALUES (?, ?, ?, ?, ?)",
        [student_id, kind, scope, given_on, given_by],
    )


def consents_of_student(db, student_id):
    return list(
        db.query("SELECT * FROM consents WHERE student_id = ? ORDER BY given_on", [student_id])
    )


def _one(db, sql, params):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def class_by_id(db, class_id):
    return _one(db, "SELECT * FROM classes WHERE id = ?", [class_id])


def classes_of_year(db, school_year):
    """Every class of a school year by name, archived ones too."""
    rows = db.query("SELECT * FROM classes WHERE school_year = ?", [school_year])
    return {row["name"]: row for row in rows}


def all_classes(db):
    """Every class, archived too, newest school year first."""
    return list(
        db.query("""
        SELECT classes.*, count(students.id) AS student_count
        FROM classes LEFT JOIN students
          ON students.class_id = classes.id AND students.archived_at IS NULL
        GROUP BY classes.id
        ORDER BY classes.school_year DESC, classes.grade, classes.name""")
    )


def set_class_archived(db, class_id, archived):
    db.execute("UPDATE classes SET archived = ? WHERE id = ?", [int(archived), class_id])


def archived_students_in_class(db, class_id):
    return list(
        db.query(
            "SELECT * FROM students WHERE class_id = ? AND archived_at IS NOT NULL"
            " ORDER BY last_name, first_name",
            [class_id],
        )
    )


STUDENT_COLUMNS = """students.*, classes.name AS class_name, classes.grade,
    classes.school_year"""


def student_by_id(db, student_id):
    return _one(
        db,
        f"""SELECT {STUDENT_COLUMNS} FROM students
            LEFT JOIN classes ON classes.id = students.class_id WHERE students.id = ?""",
        [student_id],
    )


def students_for_matching(db):
    """Every student (archived too) with the class name, to match rows of an import."""
    return list(
        db.query(f"""SELECT {STUDENT_COLUMNS} FROM students
                     LEFT JOIN classes ON classes.id = students.class_id ORDER BY students.id""")
    )


def update_student(db, student_id, class_id, sex, middle_name):
    """Class, sex and middle name as the school's list now has them; back from the archive."""
    db.execute(
        "UPDATE students SET class_id = ?, sex = ?, middle_name = ?, archived_at = NULL"
        " WHERE id = ?",
        [class_id, sex, middle_name, student_id],
    )


def move_student(db, student_id, class_id):
    db.execute("UPDATE students SET class_id = ? WHERE id = ?", [class_id, student_id])


def set_student_archived(db, student_id, archived_at):
    db.execute("UPDATE students SET archived_at = ? WHERE id = ?", [archived_at, student_id])


def consent_by_id(db, student_id, consent_id):
    return _one(
        db, "SELECT * FROM consents WHERE id = ? AND student_id = ?", [consent_id, student_id]
    )


def withdraw_consent(db, consent_id, withdrawn_on):
    db.execute(
        "UPDATE consents SET withdrawn_on = ? WHERE id = ? AND withdrawn_on IS NULL",
        [withdrawn_on, consent_id],
    )

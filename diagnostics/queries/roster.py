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

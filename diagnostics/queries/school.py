"""The school this instance belongs to (one row)."""


def get_school(db):
    rows = list(db.query("SELECT * FROM school WHERE id = 1"))
    return rows[0] if rows else None


def create_school(db, name, region, district, school_code, default_lang, is_demo=False):
    db.execute(
        "INSERT INTO school (id, name, region, district, school_code, default_lang, is_demo)"
        " VALUES (1, ?, ?, ?, ?, ?, ?)",
        [name, region, district, school_code, default_lang, int(is_demo)],
    )


def holds_real_data(db):
    """True when the instance has a school or students that are not the demo's."""
    school = get_school(db)
    if school and not school["is_demo"]:
        return True
    return bool(db.execute("SELECT 1 FROM students LIMIT 1").fetchone()) and not school

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

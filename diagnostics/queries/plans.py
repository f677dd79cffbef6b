"""Round plans as each side keeps them: signed at the centre, received at a school."""

import json


def store_plan(db, plan, document, at):
    """Keep a plan file (its signature with it); the same plan again changes nothing."""
    db.execute(
        "INSERT INTO round_plans (id, document, school_year, round, stored_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        [
            plan["id"],
            json.dumps(document, ensure_ascii=False),
            plan["school_year"],
            plan["round"],
            at,
        ],
    )


def plan_documents(db):
    """Every plan file kept, newest school year and round first."""
    rows = db.execute(
        "SELECT document FROM round_plans ORDER BY school_year DESC, round DESC, stored_at DESC"
    )
    return [json.loads(row[0]) for row in rows]


def plan_document(db, plan_id):
    row = db.execute("SELECT document FROM round_plans WHERE id = ?", [plan_id]).fetchone()
    return json.loads(row[0]) if row else None


def mark_session_plan(db, session_id, plan_id):
    db.execute("UPDATE sessions SET plan_id = ? WHERE id = ?", [plan_id, session_id])


def classes_with_plan_sessions(db, plan_id):
    """The ids of the classes that already have a session of this plan."""
    rows = db.execute(
        "SELECT DISTINCT class_id FROM sessions WHERE plan_id = ? AND class_id IS NOT NULL",
        [plan_id],
    )
    return {row[0] for row in rows}

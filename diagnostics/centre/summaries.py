"""The region's derived tables: written by each import, rebuilt from the raw records on demand.

The imported records stay the truth; `centre_child_levels` and `centre_level_summary` only
save the pages from recomputing every child's level (queries/centre/summaries.py). An import
rewrites the rows of the children its batch touched, and changes its school's counts by
their difference, inside the import's own transaction (centre/touched.py); `rebuild`
recomputes every school whole.
"""

from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.centre import summaries as q


def rebuild(db):
    """Recompute every row from the imported records in one transaction; return the schools
    and children counted."""
    with transaction(db):
        q.clear(db)
        schools = q.school_ids(db)
        for school_id in schools:
            q.refresh_school(db, school_id)
        q.mark_built(db, now())
        q.refresh_statistics(db)
        return {"schools": len(schools), "children": q.children_counted(db)}


def rebuild_if_stale(db):
    """Rebuild when a migration marked the tables stale (the upgrade of an existing centre)."""
    if not q.stale(db):
        return None
    with transaction(db):  # checked again under the write lock: another process may have built
        if not q.stale(db):
            return None
        return rebuild(db)

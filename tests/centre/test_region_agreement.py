"""One truth: the school's class summary and the centre's table agree on the same batch."""

import pytest

from diagnostics import create_app
from diagnostics.aggregates import COUNT_KEYS
from diagnostics.db import connect
from diagnostics.queries.centre import region as region_queries
from diagnostics.school.followup import reporting

from sync_helpers import import_files, ok, open_database, reevaluate_too_fast


def _school_counts(school):
    """The class summary's counts of every finished session of the school, by session."""
    app = create_app({"TESTING": True}, instance_path=school)
    db = connect(app.config["DATABASE"])
    with app.app_context():
        collection = app.extensions["instruments"]
        summaries = [
            reporting.class_summary(db, collection, row["id"])
            for row in db.query("SELECT id FROM sessions ORDER BY id")
        ]
    db.close()
    return [
        {key: summary["levels"][key] for key in COUNT_KEYS}
        for summary in summaries
        if sum(summary["levels"][key] for key in ("none", "attention", "risk", "critical"))
    ]


def _centre_counts(centre):
    db = open_database(centre)
    rows = region_queries.level_counts(db, "school", {})
    db.close()
    return [{key: row[key] for key in COUNT_KEYS} for row in rows]


@pytest.mark.parametrize("threshold", [None, 100.0])
def test_the_school_and_the_centre_count_the_same_levels_and_retests(linked, tmp_path, threshold):
    centre, school = linked
    if threshold is not None:
        reevaluate_too_fast(school, threshold)
    ok(school, "sync", "export", "--out", tmp_path / "batch.dxb")
    assert import_files(tmp_path, centre, tmp_path / "batch.dxb").exit_code == 0
    school_counts = _school_counts(school)
    assert school_counts == _centre_counts(centre)
    assert bool(school_counts[0]["retest"]) == (threshold is not None)

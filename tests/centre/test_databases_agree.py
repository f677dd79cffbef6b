"""The same batches imported by a centre on SQLite and by one on PostgreSQL: the same region
tables, cases and exports, to the byte where the format allows it."""

import io
import shutil

from openpyxl import load_workbook

from diagnostics.config import CENTRE_KEY_FILE, set_database
from diagnostics.queries.centre import region as region_queries

from helpers import post_form
from sync_helpers import (
    ANALYST,
    PASSPHRASE,
    add_analyst,
    centre_app,
    import_files,
    linked_region,
    ok,
    open_database,
    passphrase_file,
)

FILTERS = [
    {},
    {"instrument": "phqa"},
    {"sex": "f"},
    {"plan": "none"},
    {"region": "Алматы облысы", "district": "Қонаев қаласы", "school": "KZ-0002"},
]
EXPORTS = [f"/export/{table}.{kind}" for table in ("levels", "cases") for kind in ("csv", "xlsx")]


def twin_on_postgres(tmp_path, centre, schools, url):
    """A second centre with the same key, its data in PostgreSQL, the same schools enrolled."""
    twin = tmp_path / "centre-pg"
    twin.mkdir(mode=0o700)
    for name in (CENTRE_KEY_FILE, "config.py"):
        shutil.copy2(centre / name, twin / name)
    set_database(twin, url)
    secret = passphrase_file(tmp_path, PASSPHRASE)
    ok(
        twin,
        "centre",
        "export-key",
        "--out",
        tmp_path / "twin.pub.json",
        "--passphrase-file",
        secret,
    )
    for school in schools:
        enrolment = tmp_path / f"{school.name}-enrolment.json"
        fingerprint = ok(school, "sync", "enrolment", "--out", enrolment).strip().split()[-1]
        ok(twin, "centre", "enrol", enrolment, "--fingerprint", fingerprint)
    return twin


def analyst(instance):
    add_analyst(instance)
    client = centre_app(instance).test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    return client


def figures(instance):
    """Every unit's level table and the cases, under each filter, as the queries give them."""
    db = open_database(instance)
    try:
        return {
            (unit, tuple(chosen.items())): region_queries.level_counts(db, unit, chosen)
            for unit in ("region", "district", "school", "grade")
            for chosen in FILTERS
        } | {
            ("cases", level, tuple(chosen.items())): region_queries.cases(
                db, {**chosen, "level": level}
            )
            for level in ("risk", "critical")
            for chosen in FILTERS
        }
    finally:
        db.close()


def exported(client):
    """The exports' rows: CSV as bytes, XLSX as the cells' values."""
    found = {}
    for path in EXPORTS:
        response = client.get(path, headers={"Accept-Language": "kk"})
        assert response.status_code == 200, path
        if path.endswith(".csv"):
            found[path] = response.data
        else:
            found[path] = list(load_workbook(io.BytesIO(response.data)).active.values)
    return found


def tbody(html):
    """The tables of a page, as printed."""
    return [part.split("</tbody>")[0] for part in html.split("<tbody>")[1:]]


def test_sqlite_and_postgresql_centres_agree(tmp_path, collection, postgres_cluster):
    (centre, *_), schools = linked_region(tmp_path, collection, ("KZ-0001", "KZ-0002"), 2)
    name, url = postgres_cluster.database()
    try:
        twin = twin_on_postgres(tmp_path, centre, schools, url)
        for school in schools:
            batch = tmp_path / f"{school.name}.dxb"
            ok(school, "sync", "export", "--out", batch)
            for instance in (centre, twin):
                assert import_files(tmp_path, instance, batch).exit_code == 0
        on_sqlite, on_postgres = figures(centre), figures(twin)
        assert on_sqlite[("cases", "risk", ())] and on_sqlite[("school", ())]
        assert on_postgres == on_sqlite
        clients = [analyst(instance) for instance in (centre, twin)]
        assert exported(clients[1]) == exported(clients[0])
        for path in ("/", "/?region=Алматы облысы&district=Қонаев қаласы", "/cases"):
            tables = [tbody(client.get(path).get_data(as_text=True)) for client in clients]
            assert tables[0] and tables[1] == tables[0], path
    finally:
        postgres_cluster.drop(name)

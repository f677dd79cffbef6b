"""Every page and PDF of the demo school, and of a centre that imported it, in Kazakh and
Russian: no internal id (instrument, flag, rule, gate, route, action, algorithm, sex code)
and no English word a person would read."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from werkzeug.routing import IntegerConverter

from diagnostics import create_app
from diagnostics.db import connect, transaction
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME, fill_demo
from diagnostics.school.followup.evaluation import evaluate_code
from diagnostics.settings import write_setting

from helpers import csrf_token, post_form, visible_text
from sync_helpers import ANALYST, add_analyst, centre_app, import_files, ok

# Latin words a person may read: names of the instruments' authors and formats.
FORMATS = {"PDF", "CSV", "XLSX", "JSON", "ZIP", "PNG", "QR", "USB"}
COMMANDS = {"diagnostics", "serve"}  # what an administrator types at the terminal
# Machine-readable downloads (a file for another program, not for reading).
MACHINE = {"sessions.board_json", "roster.student_data", "sync_page.enrolment"}
SKIPPED = {"static", "auth.logout", "lang.switch", "student.done", "student.next"}
SEXES = {"m", "f"}
CODES = "SELECT id FROM codes WHERE status = 'finished' ORDER BY seat LIMIT 4"  # every level


def internal_ids(collection, algorithm):
    """Every id the instruments and the algorithm define, and the fixed ones."""
    data = algorithm.data
    ids = {algorithm.id, "parent", *SEXES, *data["roles"], *data["actions"], *data["routes"]}
    ids.update(rule["id"] for rule in data["rules"])
    ids.update(gate["id"] for gate in data.get("gates") or [])
    for instrument in collection.values():
        ids.add(instrument.id)
        for flag in instrument.data.get("flags") or []:
            ids.update({flag["id"], f"{instrument.id}.{flag['id']}"})
        ids.update(f"{instrument.id}.critical_{i['id']}" for i in instrument.data["items"])
    return ids


def allowed_latin(collection, algorithm):
    """Latin words the Kazakh and Russian texts themselves hold (PHQ-A, PHQ Screeners)."""
    words = FORMATS | COMMANDS
    texts = [algorithm.data] + [instrument.data for instrument in collection.values()]
    while texts:
        value = texts.pop()
        if isinstance(value, dict):
            texts += [v for k, v in value.items() if k in ("kk", "ru") or not isinstance(v, str)]
        elif isinstance(value, list):
            texts += value
        elif isinstance(value, str):
            words.update(re.findall(r"[A-Za-z]{2,}", value))
    return words


def leaks(text, ids, latin):
    """The internal ids and the English words found in `text`."""
    found = [i for i in ids if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w-])", text)]
    found += [w for w in re.findall(r"(?<![\w-])[A-Za-z]{2,}(?![\w-])", text) if w not in latin]
    return sorted(set(found))


def readable_text(response):
    """What a person reads in a response: a page's <main>, a PDF's text, a table's cells."""
    if response.mimetype == "application/pdf":
        pages = PdfReader(io.BytesIO(response.data)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())
    if response.mimetype == "text/csv":
        body = response.data.decode("utf-8-sig")
        return " ".join(
            cell for row in csv.reader(io.StringIO(body), delimiter=";") for cell in row
        )
    if "spreadsheetml" in response.mimetype:
        sheet = load_workbook(io.BytesIO(response.data)).active
        return " ".join(str(v) for row in sheet.values for v in row if v is not None)
    text, _english = visible_text(response.get_data(as_text=True))
    return text


def choose_language(client, lang):
    client.post(f"/lang/{lang}", data={"csrf_token": csrf_token(client, "/login")})


def paths(app, values):
    """A path for every readable GET route, with each variable from `values`."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED | MACHINE:
            continue
        if rule.endpoint.startswith("student.") or rule.endpoint.startswith("setup."):
            continue
        choices = [{}]
        for name, converter in rule._converters.items():
            options = values.get(name, [1] if isinstance(converter, IntegerConverter) else [])
            choices = [{**c, name: option} for c in choices for option in options]
        found += [
            (rule.endpoint, rule.build(c)[1]) for c in choices if len(c) == len(rule.arguments)
        ]
    return found


def walk(client, app, values, ids, latin):
    leaked, seen = {}, 0
    for endpoint, path in paths(app, values):
        response = client.get(path)
        if response.status_code != 200:
            continue
        seen += 1
        found = leaks(readable_text(response), ids, latin)
        if found:
            leaked[f"{endpoint} {path}"] = found
    return leaked, seen


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    app = create_app({"TESTING": True}, instance_path=tmp_path_factory.mktemp("names") / "i")
    db = connect(app.config["DATABASE"])
    collection, algorithm = app.extensions["instruments"], app.extensions["algorithm"]
    fill_demo(db, collection, algorithm=algorithm)
    with app.app_context():  # a second evaluation: too fast, so the history and gates show
        write_setting(db, "gates.too_fast.threshold", 100.0)
        with transaction(db):
            for code_row in db.query(CODES.replace("id", "*", 1)):
                evaluate_code(db, collection, algorithm, code_row, trigger="reevaluation")
    values = {
        "session_id": [row[0] for row in db.execute("SELECT id FROM sessions")],
        "code_id": [row[0] for row in db.execute(CODES)],
        "case_id": [row[0] for row in db.execute("SELECT id FROM cases")],
        "class_id": [row[0] for row in db.execute("SELECT id FROM classes")],
        "student_id": [row[0] for row in db.execute(CODES.replace("id", "student_id", 1))],
        "instrument_id": ["phqa", "gad7"],
    }
    db.close()
    return app, values


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_internal_id_or_english_word_on_any_page_or_pdf_of_the_demo_school(demo, lang):
    app, values = demo
    client = app.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    choose_language(client, lang)
    collection, algorithm = app.extensions["instruments"], app.extensions["algorithm"]
    leaked, seen = walk(client, app, values, internal_ids(collection, algorithm),
                        allowed_latin(collection, algorithm))  # fmt: skip
    assert seen > 40 and leaked == {}, json.dumps(leaked, ensure_ascii=False, indent=0)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_internal_id_or_english_word_at_the_centre(linked, tmp_path, collection,
                                                     shipped_algorithm, lang):  # fmt: skip
    centre, school = linked
    ok(school, "sync", "export", "--out", tmp_path / "batch.dxb")
    assert import_files(tmp_path, centre, tmp_path / "batch.dxb").exit_code == 0
    add_analyst(centre)
    app = centre_app(centre)
    client = app.test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    choose_language(client, lang)
    values = {"school_code": ["KZ-0001"], "table": ["levels", "cases"], "kind": ["csv", "xlsx"]}
    ids = internal_ids(collection, shipped_algorithm)
    latin = allowed_latin(collection, shipped_algorithm) | {"KZ", "School"}  # the school's name
    leaked, seen = walk(client, app, values, ids, latin)
    assert seen >= 8 and leaked == {}, json.dumps(leaked, ensure_ascii=False, indent=0)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_each_level_has_one_name_the_pages_and_the_algorithm_share(app, lang):
    from flask_babel import force_locale

    from diagnostics.labels import LEVELS

    names = app.extensions["algorithm"].data["levels"]
    with app.test_request_context(), force_locale(lang):
        shown = {level: str(LEVELS[level]) for level in names}
    assert shown == {level: text[lang].lower() for level, text in names.items()}

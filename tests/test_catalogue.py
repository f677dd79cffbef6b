"""The psychologist browses the collection: items in kk and ru, scoring, sources, status."""

from diagnostics.db import connect

from classroom_helpers import demo_psychologist
from helpers import post_form


def test_list_shows_every_instrument_with_translation_status(school_client, collection):
    html = school_client.get("/instruments/").get_data(as_text=True)
    for instrument in collection.values():
        assert f'/instruments/{instrument.id}"' in html
    assert "валидацияланбаған" in html  # kk: "not validated" is shown, not hidden


def test_detail_shows_items_in_both_languages_in_published_order(school_client, collection):
    phqa = collection["phqa"]
    html = school_client.get("/instruments/phqa").get_data(as_text=True)
    positions = [
        html.index(item["text"]["ru"].replace('"', "&#34;")) for item in phqa.data["items"]
    ]
    assert positions == sorted(positions)
    for item in phqa.data["items"]:
        assert item["text"]["kk"].replace('"', "&#34;") in html
    assert phqa.data["provenance"]["citation"].split(".")[0] in html
    assert "аса маңызды тармақ" in html  # item 9 is marked critical


def test_unvalidated_translation_is_flagged_to_the_psychologist(school_client):
    html = school_client.get("/instruments/gad7").get_data(as_text=True)
    assert 'class="warning"' in html


def test_unknown_instrument_is_404(school_client):
    assert school_client.get("/instruments/nope").status_code == 404


def test_an_instrument_whose_licence_needs_a_permission_waits_for_it(app):
    """RCADS-25's licence needs the authors' written permission for translations and electronic
    use: no session can include it until the school records the permission's reference."""
    psychologist = demo_psychologist(app)
    db = connect(app.config["DATABASE"])
    sessions_before = db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    listing = psychologist.get("/instruments/").get_data(as_text=True)
    assert "рұқсат керек" in listing.lower()  # kk, the demo school's language
    refused = post_form(psychologist, "/sessions/new", session_form(["rcads25", "gad7"]))
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert "RCADS-25" in text and ("разрешение" in text or "рұқсат" in text)
    assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == sessions_before

    detail = psychologist.get("/instruments/rcads25").get_data(as_text=True)
    assert "rcads@psych.ucla.edu" in detail
    without_token = psychologist.post(
        "/instruments/rcads25/permission", data={"reference": "x", "granted_on": "2026-11-01"}
    )
    assert without_token.status_code == 400
    recorded = post_form(
        psychologist,
        "/instruments/rcads25/permission",
        {"reference": "Письмо UCLA № 17 от 01.11.2026", "granted_on": "2026-11-01"},
    )
    assert recorded.status_code == 302
    assert "Письмо UCLA № 17" in psychologist.get("/instruments/rcads25").get_data(as_text=True)
    audit = db.execute("SELECT action, subject FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(audit) == ("record_permission", "instrument:rcads25")
    opened = post_form(psychologist, "/sessions/new", session_form(["rcads25", "gad7"]))
    assert opened.status_code == 302


def test_an_instrument_without_a_permission_clause_cannot_take_one(school_client):
    form = {"reference": "x", "granted_on": "2026-11-01"}
    response = post_form(school_client, "/instruments/gad7/permission", form)
    assert response.status_code == 404


def session_form(instruments):
    return {
        "title": "Скрининг",
        "class_id": "3",
        "mode": "identified",
        "instruments": instruments,
        "opens_at": "2026-01-01T08:00",
        "closes_at": "2035-01-01T08:00",
    }


def test_psychologist_sees_the_notice_to_tell_the_representative(school_client, collection):
    notice = collection["jvq"].data["identified_notice"]
    html = school_client.get("/instruments/jvq").get_data(as_text=True)
    assert notice["kk"].split(":")[0] in html
    assert notice["ru"].split(":")[0] in html
    assert "identified-notice" not in school_client.get("/instruments/gad7").get_data(as_text=True)

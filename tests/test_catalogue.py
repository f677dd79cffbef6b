"""The psychologist browses the collection: items in kk and ru, scoring, sources, status."""


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


def test_psychologist_sees_the_notice_to_tell_the_representative(school_client, collection):
    notice = collection["jvq"].data["identified_notice"]
    html = school_client.get("/instruments/jvq").get_data(as_text=True)
    assert notice["kk"].split(":")[0] in html
    assert notice["ru"].split(":")[0] in html
    assert "identified-notice" not in school_client.get("/instruments/gad7").get_data(as_text=True)

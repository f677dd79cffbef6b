"""A real lesson in the browser: the keyboard alone, typos at one address, ages, consents."""

import re

import pytest
from playwright.sync_api import expect
from test_student_flow import answer_all, enter, log_in, open_session

from diagnostics.codes import normalise
from diagnostics.db import connect

YOUNG_CLASS = "1"  # the demo's 3А: children of 8 and 9


def tab_to(page, selector, limit=30):
    """Press Tab until the focus is on an element matching `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def stored_answers(app, code):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute(
            "SELECT answers.instrument_id, answers.item_id, answers.value FROM answers"
            " JOIN codes ON codes.id = answers.code_id WHERE codes.code = ?",
            [normalise(code)],
        ).fetchall()
    finally:
        db.close()


def test_a_whole_battery_by_keyboard_alone_choosing_the_third_option(new_context, live_server):
    app, _ = live_server
    staff = new_context().new_page()
    _, codes = open_session(staff, ["who5", "loneliness3"])
    child = new_context().new_page()
    child.goto("/go/")
    child.keyboard.type(codes[5])  # the code field has the focus
    with child.expect_navigation():
        child.keyboard.press("Enter")
    tab_to(child, "input[name=lang]")
    child.keyboard.press("ArrowDown")  # Қазақша → Русский
    with child.expect_navigation():
        child.keyboard.press("Enter")
    while "/go/done" not in child.url:
        if child.locator("input[name=value]").count():
            tab_to(child, "input[name=value]")
            child.keyboard.press("ArrowDown")
            child.keyboard.press("ArrowDown")
            expect(child.locator("input[name=value]").nth(2)).to_be_checked()
            with child.expect_navigation():
                child.keyboard.press("Enter")
        else:
            tab_to(child, "button.primary")
            with child.expect_navigation():
                child.keyboard.press("Enter")
    expect(child.locator("h1")).to_have_text("Спасибо!")
    collection = app.extensions["instruments"]
    answers = stored_answers(app, codes[5])
    assert len(answers) == 5 + 3
    for instrument_id, item_id, value in answers:
        assert value == collection[instrument_id].option_values(item_id)[2]


def test_a_class_behind_one_address_with_typos_keeps_answering(new_context):
    staff = new_context().new_page()
    board_url, codes = open_session(staff, ["loneliness3"])
    for code in codes[6:11]:  # five children on the same Wi-Fi address, each mistypes once
        child = new_context().new_page()
        child.goto("/go/")
        child.fill("input[name=code]", code[::-1])
        child.click("button.primary")
        expect(child.locator("#code-error")).to_be_visible()
        child.fill("input[name=code]", code)
        child.click("button.primary")
        child.get_by_role("radio", name="Русский").check()
        child.click("button.primary")
        answer_all(child, stop_after=1)
        expect(child.locator(".qtext")).to_be_visible()
    staff.goto(board_url)
    expect(staff.locator("form.code-entry-resting")).to_have_count(0)


def test_the_psychologist_confirms_who_takes_an_instrument_outside_its_ages(new_context):
    staff = new_context().new_page()
    log_in(staff)
    staff.goto("/sessions/new")
    staff.fill("input[name=title]", "Ages")
    staff.select_option("select[name=class_id]", YOUNG_CLASS)
    for instrument in ("smfq", "phqa"):
        staff.check(f"input[name=instruments][value={instrument}]")
    staff.fill("input[name=opens_at]", "2026-01-01T08:00")
    staff.fill("input[name=closes_at]", "2035-01-01T08:00")
    staff.click("form.card button.primary")
    review = staff.locator("section.age-review")
    expect(review).to_be_visible()
    expect(staff.locator("td.code")).to_have_count(0)
    ticks = review.locator("input[name=include_age]")
    count = ticks.count()
    assert count >= 5
    ticks.first.check()
    staff.click("form.card button.primary")
    staff.wait_for_url(re.compile(r"/sessions/\d+$"))
    expect(staff.locator(".note li")).to_have_count(count - 1)


def test_consents_of_a_class_on_one_screen_and_a_confirmed_withdrawal(new_context, live_server):
    app, _ = live_server
    staff = new_context().new_page()
    log_in(staff)
    staff.goto("/roster/classes/2")
    staff.click("a[href='/roster/classes/2/consents']")
    boxes = staff.locator("input[name=student]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    staff.fill("input[name=given_on]", "2026-09-01")
    staff.fill("input[name=given_by]", "Ата-анасы")
    staff.click("form.class-consents button.primary")
    staff.wait_for_url(re.compile(r"/roster/classes/2$"))
    db = connect(app.config["DATABASE"])
    by_hand = db.execute("SELECT count(*) FROM consents WHERE given_by = 'Ата-анасы'").fetchone()
    assert by_hand == (2,)
    staff.locator("table a[href^='/roster/students/']").first.click()
    withdraw = staff.locator("a[href$='/withdraw']").first
    withdraw.click()
    expect(staff.locator("input[name=withdrawn_on]")).to_have_value(re.compile(r"\d{4}-\d\d-\d\d"))
    staff.fill("input[name=withdrawn_on]", "2026-10-01")
    staff.click("form.card button.primary")
    withdrawn = db.execute("SELECT count(*) FROM consents WHERE withdrawn_on = '2026-10-01'")
    assert withdrawn.fetchone() == (1,)
    db.close()


def test_the_board_counts_follow_a_child_who_answers(new_context):
    staff = new_context().new_page()
    board_url, codes = open_session(staff, ["loneliness3"])
    staff.goto(board_url)
    counts = staff.locator("#board-counts")
    before = counts.inner_text()
    child = new_context().new_page()
    enter(child, codes[-1], "Русский")
    answer_all(child)
    expect(counts).not_to_have_text(before, timeout=10_000)  # the board polls every 3 seconds
    expect(counts).to_contain_text("1")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_question_page_reads_down_one_column(new_context, width):
    staff = new_context().new_page()
    _, codes = open_session(staff, ["who5"])
    child = new_context(viewport={"width": width, "height": 800}).new_page()
    enter(child, codes[width % 7], "Русский")
    child.click("button.primary")
    options = child.locator("label.option")
    boxes = [options.nth(i).bounding_box() for i in range(options.count())]
    assert len({round(b["x"]) for b in boxes}) == 1  # one column, in the order of the scale
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
    radios = child.locator("input[name=value]")
    sizes = {
        (round(r["width"]), round(r["height"]))
        for r in radios.evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())")
    }
    assert len(sizes) == 1 and min(next(iter(sizes))) >= 20  # no circle squeezed by its label
    bar = child.locator("progress").bounding_box()
    label = child.locator(".progress-wrap .muted").bounding_box()
    assert bar["width"] >= 150 and label["x"] + label["width"] <= width
    assert child.evaluate("() => document.documentElement.scrollWidth") <= width

"""The student flow in a real browser: what a child and the psychologist see."""

import re

import pytest
from playwright.sync_api import expect

from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME

RU_CLASS = "3"


def log_in(page):
    page.goto("/login")
    page.fill("input[name=username]", DEMO_USERNAME)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.primary")


def open_session(page, instruments, title="Скрининг"):
    """The psychologist opens a session through the real form; returns (board url, codes)."""
    log_in(page)
    page.goto("/sessions/new")
    page.fill("input[name=title]", title)
    page.select_option("select[name=class_id]", RU_CLASS)
    for instrument in instruments:
        page.check(f"input[name=instruments][value={instrument}]")
    page.fill("input[name=opens_at]", "2026-01-01T08:00")
    page.fill("input[name=closes_at]", "2035-01-01T08:00")
    page.click("form.card button.primary")
    page.wait_for_url(re.compile(r"/sessions/\d+$"))
    codes = page.locator("td.code").all_inner_texts()
    return page.url + "/board", codes


def enter(page, code, lang_label):
    page.goto("/go/")
    page.fill("input[name=code]", code)
    page.click("button.primary")
    page.get_by_role("radio", name=lang_label).check()
    page.click("button.primary")


def answer_all(page, choose=lambda text: 0, stop_after=None):
    """Click through instructions and questions; one tap on an option saves and moves on."""
    answered = 0
    while "/go/done" not in page.url:
        if stop_after is not None and answered >= stop_after:
            return answered
        if page.locator("input[name=value]").count():
            text = page.locator(".qtext").inner_text()
            options = page.locator("label.option")
            with page.expect_navigation():
                options.nth(choose(text)).click()
            answered += 1
        else:
            page.click("button.primary")
    return answered


def question_number(page):
    """The number shown above the question ("Вопрос 9 из 13" → 9)."""
    return int(re.search(r"\d+", page.locator(".qnum").inner_text()).group())


def assert_nothing_kept(page):
    stored = page.evaluate("() => [localStorage.length, sessionStorage.length]")
    assert stored == [0, 0]


@pytest.mark.parametrize(
    ("lang_label", "thanks", "lang"), [("Қазақша", "Рақмет!", "kk"), ("Русский", "Спасибо!", "ru")]
)
def test_full_session(new_context, outside_requests, lang_label, thanks, lang):
    staff = new_context().new_page()
    _, codes = open_session(staff, ["who5", "loneliness3"])
    child = new_context().new_page()
    enter(child, codes[0], lang_label)
    expect(child.locator("html")).to_have_attribute("lang", lang)
    answered = answer_all(child, choose=lambda text: 1)
    assert answered == 8
    expect(child.locator("h1")).to_have_text(thanks)
    expect(child.locator("main")).to_contain_text("111")
    assert_nothing_kept(child)
    assert outside_requests == []


def test_kazakh_letters_on_the_question_page(new_context):
    staff = new_context().new_page()
    _, codes = open_session(staff, ["gad7"])
    child = new_context().new_page()
    enter(child, codes[0], "Қазақша")
    child.click("button.primary")
    text = child.locator("main").inner_text()
    assert set("әқңөұүі") & set(text.lower())
    font = child.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "DejaVu Sans" in font
    loaded = child.evaluate("() => document.fonts.check('16px \"DejaVu Sans\"', 'әғқңөұүһі')")
    assert loaded


def test_reload_and_resume_on_another_device(new_context):
    staff = new_context().new_page()
    board_url, codes = open_session(staff, ["gad7"])
    phone = new_context(viewport={"width": 390, "height": 800}).new_page()
    enter(phone, codes[1], "Русский")
    answer_all(phone, choose=lambda text: 2, stop_after=3)
    question = phone.locator(".qtext").inner_text()
    phone.reload()
    expect(phone.locator(".qtext")).to_have_text(question)
    laptop = new_context().new_page()
    laptop.goto("/go/")
    laptop.fill("input[name=code]", codes[1])
    laptop.click("button.primary")
    expect(laptop.locator("p.flash[role=alert]")).to_be_visible()  # one device at a time
    staff.goto(board_url)
    staff.click("form.handover button")  # the psychologist lets the laptop continue
    laptop.click("button.primary")
    expect(laptop.locator(".qtext")).to_have_text(question)
    expect(laptop.locator("progress")).to_have_attribute("value", "3")
    answer_all(laptop)
    expect(laptop.locator("h1")).to_have_text("Спасибо!")


def test_two_children_at_once(new_context, live_server):
    staff = new_context().new_page()
    board_url, codes = open_session(staff, ["loneliness3"])
    first, second = new_context().new_page(), new_context().new_page()
    enter(first, codes[2], "Қазақша")
    enter(second, codes[3], "Русский")
    for _ in range(2):
        answer_all(first, stop_after=1)
        answer_all(second, stop_after=1)
    answer_all(first)
    answer_all(second)
    expect(first.locator("h1")).to_have_text("Рақмет!")
    expect(second.locator("h1")).to_have_text("Спасибо!")
    staff.goto(board_url)
    expect(staff.locator("#board-counts")).to_contain_text("2")


def test_critical_answer_reaches_the_board_within_seconds(new_context):
    staff = new_context().new_page()
    board_url, codes = open_session(staff, ["phqa"])
    staff.goto(board_url)
    expect(staff.locator("article.alert")).to_have_count(0)
    child = new_context().new_page()
    enter(child, codes[4], "Русский")
    # item 9 of the PHQ-A (self-harm thoughts) is the ninth question: answer it "several days"
    answer_all(child, choose=lambda text: 1 if question_number(child) == 9 else 0, stop_after=9)
    alert = staff.locator("article.alert.level-critical")
    expect(alert).to_have_count(1, timeout=10_000)  # the board polls every 3 seconds
    expect(alert.locator("a.result-link")).to_have_attribute(
        "href", re.compile(r"/results/codes/\d+$")
    )
    expect(alert).to_contain_text(
        staff.locator("#board tbody tr").nth(4).locator("td").nth(1).inner_text()
    )
    with staff.expect_navigation():
        alert.locator("button").click()
    expect(staff.locator("article.alert")).to_have_count(0)
    # The child's row now leads to the result, with the follow-up case opened for it.
    staff.locator("#board tbody tr").nth(4).locator("a").click()
    expect(staff.locator("a.button[href*='/cases/']")).to_have_count(1)


def test_finished_code_is_refused_and_back_shows_nothing(new_context):
    staff = new_context().new_page()
    _, codes = open_session(staff, ["loneliness3"])
    child = new_context().new_page()
    enter(child, codes[5], "Русский")
    answer_all(child)
    expect(child.locator("h1")).to_have_text("Спасибо!")
    for _ in range(3):
        child.go_back()
        expect(child.locator(".qtext")).to_have_count(0)
        assert re.search(r"/go/(done)?$", child.url), child.url
    child.goto("/go/")
    child.fill("input[name=code]", codes[5])
    child.click("button.primary")
    expect(child.locator(".error")).to_contain_text("использован")
    assert_nothing_kept(child)


def test_after_an_answer_the_address_is_the_question_shown(new_context):
    """The next question comes as the reply to the answer; a reload or the back button asks for
    a page again and never sends an answer once more."""
    staff = new_context().new_page()
    _, codes = open_session(staff, ["gad7"])
    child = new_context().new_page()
    enter(child, codes[0], "Русский")
    answer_all(child, choose=lambda text: 2, stop_after=2)
    assert child.url.endswith(child.locator("main").get_attribute("data-here"))
    question = child.locator(".qtext").inner_text()
    sent = []
    child.on("request", lambda request: sent.append(request.method))
    child.reload()
    expect(child.locator(".qtext")).to_have_text(question)
    child.go_back()
    expect(child.locator("input[name=value]:checked")).to_have_count(1)  # the answer given
    assert "POST" not in sent

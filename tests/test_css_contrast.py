"""WCAG contrast of the stylesheets' text: every colour pair at least 4.5:1 (level AA)."""

import re

import pytest

from diagnostics.paths import resource_dir

MINIMUM = 4.5
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b")
STYLESHEETS = ("app.css", "student.css")


def stylesheet(name):
    return (resource_dir("static") / "css" / name).read_text(encoding="utf-8")


def variables():
    """The custom properties of app.css's :root, e.g. {'--risk': '#b05300'}."""
    root = next(
        body for selector, body in RULE.findall(stylesheet("app.css")) if ":root" in selector
    )
    return dict(re.findall(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]+)", root))


def colour_of(declarations, prop, names):
    """The solid colour a declaration sets (a var() resolved), or None."""
    match = re.search(rf"(?:^|;)\s*{prop}\s*:\s*([^;]+)", declarations)
    if not match:
        return None
    value = re.sub(r"var\((--[\w-]+)\)", lambda m: names[m.group(1)], match.group(1))
    found = HEX.search(value)
    return found.group() if found else None


def coloured_rules():
    """(stylesheet, selector, text colour, background) for every rule that sets a colour."""
    names = variables()
    for name in STYLESHEETS:
        for selector, body in RULE.findall(stylesheet(name)):
            text = colour_of(body, "color", names)
            background = colour_of(body, "background(?:-color)?", names)
            if (text or background) and ":root" not in selector:
                yield name, " ".join(selector.split()), text, background


def luminance(colour):
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_known_pairs():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#c25e00", "#fff") == pytest.approx(4.29, abs=0.01)  # the old risk badge
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("level", ["critical", "risk", "attention", "none"])
def test_every_level_badge_is_readable(level):
    rules = [r for r in coloured_rules() if r[1] == f".level-{level}"]
    assert rules, f"no .level-{level} rule"
    for _sheet, _selector, text, background in rules:
        text = text or variables()["--ink"]
        assert contrast(text, background) >= MINIMUM, (level, text, background)


def test_every_coloured_text_is_readable_on_its_background():
    names = variables()
    # Without a background of its own, text sits on a white card or on the page's background.
    for sheet, selector, text, background in coloured_rules():
        grounds = [background] if background else ["#ffffff", names["--bg"]]
        for ground in grounds:
            ratio = contrast(text or names["--ink"], ground)
            assert ratio >= MINIMUM, f"{sheet} {selector}: {text} on {ground} is {ratio:.2f}:1"

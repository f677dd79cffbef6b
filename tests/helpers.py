"""Plain helpers for tests that talk HTTP to the app the way a browser does."""

import re
from html.parser import HTMLParser

SCHOOL = {
    "school_name": "Мектеп № 7",
    "region": "Алматы облысы",
    "district": "Талғар ауданы",
    "school_code": "KZ-0007",
    "default_lang": "kk",
    "full_name": "Әйгерім Сапарова",
    "username": "aigerim",
    "password": "correct-horse-7",
    "password_again": "correct-horse-7",
}


def csrf_token(client, path):
    """Fetch a page and return the CSRF token its form carries."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path, data, **kwargs):
    """POST a form the way a browser does: with the token from the page."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)}, **kwargs)


def upload_roster(client, data, filename="list.csv"):
    """Send a roster file through the import form; return the response (302 to the preview)."""
    from io import BytesIO

    return client.post(
        "/roster/import",
        data={
            "csrf_token": csrf_token(client, "/roster/import"),
            "file": (BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def settings_form_as_shown(client, **changes):
    """The settings page as a browser would send it back: every field as shown, then changes."""
    html = client.get("/settings/").get_data(as_text=True)
    data = {}
    for name, value in re.findall(
        r'<input[^>]*name="([a-z_]+__[a-z_]+)"[^>]*value="([^"]*)"', html
    ):
        data[name] = value
    for name in re.findall(r'<input[^>]*checked[^>]*name="([a-z_]+__[a-z_]+)"', html):
        data[name] = "y"
    for name, body in re.findall(
        r'<select[^>]*name="([a-z_]+__[a-z_]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        data[name] = re.search(r'<option selected value="([^"]*)"', body).group(1)
    data.update(changes)
    return data


def concrete_path(rule):
    """A path for a URL rule, with a harmless value for each variable part."""
    values = {
        name: "x" if conv.__class__.__name__ == "UnicodeConverter" else 1
        for name, conv in rule._converters.items()
    }
    return rule.build(values)[1]


class VisibleText(HTMLParser):
    """The text a reader sees in <main>: in the page's language, and marked lang="en"."""

    SKIPPED = {"script", "style"}
    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.in_main = [], False
        self.parts = {"page": [], "en": []}

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if tag in self.VOID:
            return
        outer = self.stack[-1] if self.stack else "page"
        if outer == "hidden" or tag in self.SKIPPED:
            self.stack.append("hidden")
        else:
            self.stack.append("en" if dict(attrs).get("lang") == "en" else outer)

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        kind = self.stack[-1] if self.stack else "page"
        if self.in_main and kind != "hidden":
            self.parts[kind].append(data)


def visible_text(html):
    """The page's own text, and the English source text it quotes."""
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts["page"]), " ".join(parser.parts["en"])

"""URL converters: an `<int:...>` part of a URL is a number SQLite can hold, or no match."""

from werkzeug.routing import IntegerConverter

# SQLite's largest integer; a larger id in a URL would raise OverflowError in the query.
SQLITE_MAX = 2**63 - 1


class BoundedInteger(IntegerConverter):
    """`<int:...>` limited to SQLite's range: a larger number is a 404, never a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=SQLITE_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app):
    """Before any blueprint is registered: the rules bind their converters when added."""
    app.url_map.converters["int"] = BoundedInteger

"""Long lists a page at a time: the page asked for in the query string, bounded, and the pager.

Every paged list of the app goes through `paged` (rows counted by the database, one page
fetched with LIMIT/OFFSET) or `page_of` (a list already small enough to hold, cut here); the
template `_pager.html` shows previous/next and "page x of y", keeping the page's filters.
"""

from dataclasses import dataclass

PAGE_SIZE = 50
MIN_SIZE, MAX_SIZE = 1, 500
MAX_PAGE = 10**6


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, never past the last page
    size: int
    total: int

    @property
    def last(self):
        return max(1, -(-self.total // self.size))

    @property
    def offset(self):
        return (self.number - 1) * self.size

    def as_pager(self):
        """What `_pager.html` reads."""
        return {"page": self.number, "last": self.last, "total": self.total}


def _bounded(value, low, high, default):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def page_from(args, total, size=PAGE_SIZE):
    """The page `?page=N` (and `?size=N`, bounded) asks for among `total` rows."""
    size = _bounded(args.get("size"), MIN_SIZE, MAX_SIZE, size)
    number = _bounded(args.get("page"), 1, MAX_PAGE, 1)
    page = Page(number, size, total)
    return Page(min(number, page.last), size, total)


def paged(args, count, fetch, size=PAGE_SIZE):
    """(rows of the page asked for, its Page): `count()` rows in all, `fetch(limit, offset)`."""
    page = page_from(args, count(), size)
    return fetch(page.size, page.offset), page


def page_of(items, args, size=PAGE_SIZE):
    """(the items of the page asked for, its Page) from a list held whole."""
    page = page_from(args, len(items), size)
    return items[page.offset : page.offset + page.size], page

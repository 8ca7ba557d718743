"""Pages of a long list that cost the same at any size: the count stops at the deepest
page there is (no full COUNT(*)), and no page lies deeper than that (no long OFFSET scan).
Beyond the cap the page says "more than" and asks for a search or a filter instead."""

from dataclasses import dataclass


@dataclass
class CappedPage:
    object_list: list
    number: int
    per_page: int
    count: int  # exact, or the cap when there are more
    more: bool  # there are more rows than the pages reach

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    # The attributes of Django's Page that the templates use.
    @property
    def paginator(self):
        return self

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def has_other_pages(self):
        return self.has_previous() or self.has_next()

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0


def page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def capped_page(queryset, number, *, per_page: int, max_pages: int) -> CappedPage:
    """Two queries: a count that stops after max_pages pages, and the page's rows."""
    cap = per_page * max_pages
    found = queryset.order_by()[: cap + 1].count()
    more = found > cap
    count = min(found, cap)
    page = CappedPage([], page_number(number), per_page, count, more)
    page.number = min(page.number, page.num_pages)
    offset = (page.number - 1) * per_page
    page.object_list = list(queryset[offset : offset + per_page]) if count else []
    return page


def rows_page(rows: list, number, *, per_page: int, more: bool) -> CappedPage:
    """A page of rows already read (a search's ranked matches, at most a few hundred)."""
    page = CappedPage([], page_number(number), per_page, len(rows), more)
    page.number = min(page.number, page.num_pages)
    offset = (page.number - 1) * per_page
    page.object_list = rows[offset : offset + per_page]
    return page

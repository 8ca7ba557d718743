"""Pages of a long list that cost the same at any size: the count stops after a few
pages' worth (no full COUNT(*)), and no page lies deeper than a cap (no long OFFSET scan).
Beyond the count the page says "more than"; at the cap it asks for a search or a filter."""

from dataclasses import dataclass


@dataclass
class CappedPage:
    object_list: list
    number: int
    per_page: int
    count: int  # exact, or the cap when there are more
    more: bool  # there are more rows than were counted
    next_exists: bool | None = None  # known from the rows read, when not from the count
    capped: bool = False  # the last page there is, though the list goes on

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
        if self.next_exists is not None:
            return self.next_exists
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


def capped_page(queryset, number, *, per_page: int, max_pages: int, count_cap: int = 200):
    """Two queries: a count that stops after count_cap rows, and the page's rows (one more
    than a page, to know whether there is a next one). No page lies past max_pages."""
    found = queryset.order_by().values("pk")[: count_cap + 1].count()
    more = found > count_cap
    count = min(found, count_cap)
    page = CappedPage([], min(page_number(number), max_pages), per_page, count, more)
    if not more:
        page.number = min(page.number, page.num_pages)
    offset = (page.number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1]) if count else []
    if more and not rows and page.number > 1:
        # Past the end of a long list: show its last page instead.
        return capped_page(
            queryset, page.number // 2, per_page=per_page, max_pages=max_pages, count_cap=count_cap
        )
    page.object_list = rows[:per_page]
    page.next_exists = len(rows) > per_page and page.number < max_pages
    page.capped = len(rows) > per_page and page.number >= max_pages
    return page


def rows_page(rows: list, number, *, per_page: int, more: bool) -> CappedPage:
    """A page of rows already read (a search's ranked matches, at most a few hundred)."""
    page = CappedPage([], page_number(number), per_page, len(rows), more)
    page.number = min(page.number, page.num_pages)
    offset = (page.number - 1) * per_page
    page.object_list = rows[offset : offset + per_page]
    page.capped = more and page.number == page.num_pages
    return page

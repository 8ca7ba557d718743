"""How the portal writes a few kinds of text in a page."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def breakable_email(address) -> str:
    """An e-mail address that may break across lines only after its @ and before its dots
    (<wbr>), never inside a name: tables keep words and dates whole (WCAG 1.4.10)."""
    escaped = escape(address or "")
    marked = re.sub(r"(@)|(?=\.)", lambda m: f"{m.group(1) or ''}<wbr>", escaped)
    return mark_safe(marked)  # noqa: S308 - escaped above; only <wbr> is added

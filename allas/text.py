"""Text that residents type: what counts as written at all."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Format characters (zero-width space and joiners, the byte-order mark, direction marks),
# separators and control characters show nothing on their own.
INVISIBLE_CATEGORIES = {"Cf", "Zs", "Zl", "Zp", "Cc"}


def is_blank(value: str) -> bool:
    """True when nothing a reader could see is left of the text."""
    return all(unicodedata.category(char) in INVISIBLE_CATEGORIES for char in value)


def visible_text(value: str) -> str:
    """The text with white space of every kind folded into single spaces, or "" when
    nothing visible is in it."""
    if is_blank(value):
        return ""
    return " ".join(value.split())


def require_visible(value: str) -> None:
    """A form field validator: refuses titles, names and comments of spaces and invisible
    characters only, which would show as an empty link or an empty comment."""
    if value and is_blank(value):
        raise ValidationError(
            _("Write some text. Spaces and invisible characters alone are not enough."),
            code="blank",
        )

"""Who may follow. Plain functions, used by views, templates and tests."""

from allas.permissions import is_verified_resident


def can_follow(user) -> bool:
    """Residents with a verified e-mail address follow orter and proposals."""
    return is_verified_resident(user)

"""Who may follow. Plain functions, used by views, templates and tests."""

from allauth.account.models import EmailAddress


def can_follow(user) -> bool:
    """Residents with a verified e-mail address follow orter and proposals."""
    return (
        user.is_authenticated
        and user.is_active
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )

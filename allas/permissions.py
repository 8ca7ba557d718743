"""Who the portal's people are, as the design defines them, for every app to build on.

Staff are the development department: `is_staff` and a member of the "Utvecklingsavdelningen"
permission group, or a superuser. A resident has signed up and verified their e-mail
address. No view, admin class, form or service reads `is_staff`, `is_superuser` or the
verified address itself; they call these functions (tests/test_permission_rules.py)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q

from .staff import STAFF_GROUP


def _signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def is_staff_member(user) -> bool:
    """Staff of the development department. The answer is kept on the user object, so a
    page that asks several rules reads the group membership once."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    cached = getattr(user, "_is_staff_member", None)
    if cached is None:
        cached = user.groups.filter(name=STAFF_GROUP).exists()
        user._is_staff_member = cached
    return cached


def make_staff_member(user, *, superuser: bool = False) -> None:
    """Gives an account what the design calls staff: `is_staff` and the department's
    permission group (whose permissions are the rights in the admin)."""
    user.is_staff = True
    user.is_superuser = user.is_superuser or superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(Group.objects.get(name=STAFF_GROUP))  # made by a migration
    user._is_staff_member = None


def with_staff_membership(users):
    """The users with their membership of the department's group read in the same query,
    as is_staff_member keeps it (allas.backends loads every signed-in user so)."""
    User = get_user_model()
    return users.annotate(
        _is_staff_member=Exists(
            User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=STAFF_GROUP)
        )
    )


def staff_members():
    """The same people as a queryset: whom to tell when a rule needs the department.
    A subquery rather than a join, so it can be combined with other user querysets."""
    User = get_user_model()
    in_group = User.groups.through.objects.filter(group__name=STAFF_GROUP).values("user_id")
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(is_staff=True, pk__in=in_group)
    )


def is_verified_resident(user) -> bool:
    """A resident: signed up, with a verified e-mail address. Only residents ask to join,
    propose, support, comment and follow."""
    return _signed_in(user) and EmailAddress.objects.filter(user=user, verified=True).exists()


def can_open_admin(user) -> bool:
    """The admin is staff's: its door (instead of Django's `is_staff` alone), and what
    each one sees inside comes from the permission groups. Whoever can pass the door must
    have a second factor and may not turn the last one off."""
    return is_staff_member(user)


def can_manage_rights(user) -> bool:
    """Only a superuser sees or changes who holds rights (staff status, superuser status,
    permission groups and single permissions), so no staff member can raise their own or
    anyone's."""
    return _signed_in(user) and user.is_superuser


def holds_rights(account) -> bool:
    """An account with rights in the admin: a colleague's or a superuser's."""
    return account.is_staff or account.is_superuser


def can_change_account(user, account) -> bool:
    """Staff manage residents' accounts and their own; an account with rights only a
    superuser may change, or its e-mail address (and so the account) could be taken over."""
    return can_manage_rights(user) or account.pk == user.pk or not holds_rights(account)


def can_delete_account(user, account) -> bool:
    """An account with rights, one's own included, is deleted only by a superuser."""
    return can_manage_rights(user) or not holds_rights(account)

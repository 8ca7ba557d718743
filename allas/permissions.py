"""Who the portal's people are, as the design defines them, for every app to build on.

Staff are the development department: `is_staff` and a member of the "Utvecklingsavdelningen"
permission group, or a superuser, signed in with their second factor. A resident has signed
up and verified their e-mail address. No view, admin class, form or service reads
`is_staff`, `is_superuser` or the verified address itself; they call these functions
(tests/test_permission_rules.py)."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, Subquery

from .staff import STAFF_GROUP


def _signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


# An app or a passkey; recovery codes only stand in for them.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_staff_member(user) -> bool:
    """Staff of the development department, in a session that has passed the account's
    second factor: every staff right, in the admin and on the portal's pages, asks this.
    A password alone opens none of them, for superusers neither."""
    return is_staff_account(user) and passed_second_factor(user)


def is_staff_account(user) -> bool:
    """The account is staff's, however this session signed in: for rules about the account
    itself (it must have a second factor and keep it), never for what a page may show or
    do. The answer is kept on the user object, so a page reads the group membership once."""
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


def _oldest_second_factor(user) -> int | None:
    """The account's oldest app or passkey. Loaded with the signed-in user
    (with_staff_membership); asked afresh for any other user object, which may be old."""
    if hasattr(user, "_oldest_second_factor"):
        return user._oldest_second_factor
    return (
        Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def has_second_factor(user) -> bool:
    """The account has an authenticator app or a passkey."""
    return _signed_in(user) and _oldest_second_factor(user) is not None


def note_second_factor_proofs(user, authenticator_ids) -> None:
    """Tells the signed-in user which authenticators this session has proved (allauth
    records each code or passkey used, allas.middleware hands them on). A user object
    nobody told has proved none: a task or a command acts for no session."""
    user._proved_second_factor = max(authenticator_ids, default=None)


def passed_second_factor(user) -> bool:
    """This session has proved a second factor the account still has. Authenticators are
    numbered in the order they are made, so the proof counts while the account keeps an
    app or passkey at least as old as what the session proved: removing the last one ends
    it in every open session, and one made later does not bring it back."""
    proved = getattr(user, "_proved_second_factor", None)
    if proved is None or not _signed_in(user):
        return False
    oldest = _oldest_second_factor(user)
    return oldest is not None and oldest <= proved


def make_staff_member(user, *, superuser: bool = False) -> None:
    """Gives an account what the design calls staff: `is_staff` and the department's
    permission group (whose permissions are the rights in the admin). A superuser holds
    every right besides; any other account is left without them."""
    user.is_staff = True
    user.is_superuser = superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(Group.objects.get(name=STAFF_GROUP))  # made by a migration
    user._is_staff_member = None


def with_staff_membership(users):
    """The users with their membership of the department's group and their oldest app or
    passkey read in the same query, as the rules keep them (allas.backends loads every
    signed-in user so)."""
    User = get_user_model()
    return users.annotate(
        _is_staff_member=Exists(
            User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=STAFF_GROUP)
        ),
        _oldest_second_factor=Subquery(
            Authenticator.objects.filter(user_id=OuterRef("pk"), type__in=SECOND_FACTORS)
            .order_by("pk")
            .values("pk")[:1]
        ),
    )


def staff_members():
    """The staff accounts as a queryset: whom to tell when a rule needs the department.
    Whom to tell is about accounts, not sessions, so no second factor is asked here.
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


def verified_addresses(account) -> list[str]:
    """The account's verified e-mail addresses, the main one first: where a security notice
    goes, since whoever made a change may control only one of them."""
    return list(
        EmailAddress.objects.filter(user_id=account.pk, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
    )


def can_open_admin(user) -> bool:
    """The admin is staff's: its door (instead of Django's `is_staff` alone), and what
    each one sees inside comes from the permission groups. Whoever can pass the door has
    passed a second factor and may not turn the last one off."""
    return is_staff_member(user)


def can_manage_rights(user) -> bool:
    """Only a superuser sees or changes who holds rights (staff status, superuser status,
    permission groups and single permissions), so no staff member can raise their own or
    anyone's. Like every staff right, only after the second factor."""
    return is_staff_member(user) and user.is_superuser


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


def can_change_sign_in(user, account) -> bool:
    """Who may change how an account signs in (its password, e-mail addresses and second
    factors) in the admin: a superuser, and staff for a resident's account. An account with
    rights (a colleague's or a superuser's) would hand its rights over; one's own is
    changed at /konto/, where the current password or a fresh sign-in is asked for."""
    return can_manage_rights(user) or (
        is_staff_member(user) and account.pk != user.pk and not holds_rights(account)
    )


@dataclass(frozen=True)
class OwnAddress:
    """One of a person's own e-mail addresses, with what they may do with it."""

    email: str
    is_main: bool
    is_confirmed: bool

    @property
    def can_become_main(self) -> bool:
        """Only a confirmed address can become the one the person logs in with."""
        return self.is_confirmed and not self.is_main

    @property
    def can_be_removed(self) -> bool:
        """The main address stays: the account would have nowhere to log in from."""
        return not self.is_main

    @property
    def can_be_confirmed(self) -> bool:
        return not self.is_confirmed


def own_addresses(addresses) -> list[OwnAddress]:
    """The person's addresses (allauth's EmailAddress rows, as its e-mail page has them),
    the main one first, for the page that manages them."""
    rows = [OwnAddress(a.email, a.primary, a.verified) for a in addresses]
    return sorted(rows, key=lambda row: not row.is_main)

"""What each e-mail in the outbox is, in words: the outbox stores a kind such as
"meetings.reminder", which staff should not have to decode. Core names the kinds the apps use
without importing them (the kinds are strings, and the apps depend on core, not the reverse)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import OutboundEmail

KINDS = {
    "account.email_confirmation": _("Confirm the e-mail address"),
    "account.email_confirmation_signup": _("Confirm the e-mail address"),
    "account.email_confirm": _("E-mail address confirmed"),
    "account.email_changed": _("E-mail address changed"),
    "account.email_deleted": _("E-mail address removed"),
    "account.email_added": _("E-mail address added"),
    "account.account_already_exists": _("Account already exists"),
    "account.unknown_account": _("No account with the address"),
    "account.login_code": _("Log-in code"),
    "account.password_reset_key": _("Link for a new password"),
    "account.password_reset_code": _("Code for a new password"),
    "account.password_reset": _("Password changed"),
    "account.password_changed": _("Password changed"),
    "account.password_set": _("Password changed"),
    "account.totp_activated": _("Two-step verification on"),
    "account.totp_deactivated": _("Two-step verification off"),
    "account.recovery_codes_generated": _("New recovery codes"),
    "account.recovery_code_used": _("Recovery code used to log in"),
    "account.webauthn_added": _("Passkey added"),
    "account.webauthn_removed": _("Passkey removed"),
    "meetings.invitation": pgettext_lazy("e-mail", "Network meeting: invitation"),
    "meetings.confirmation": pgettext_lazy("e-mail", "Network meeting: confirmation"),
    "meetings.update": pgettext_lazy("e-mail", "Network meeting: new time or place"),
    "meetings.cancelled": pgettext_lazy("e-mail", "Network meeting: cancelled"),
    "meetings.minutes": pgettext_lazy("e-mail", "Network meeting: minutes"),
    "meetings.reminder": pgettext_lazy("e-mail", "Network meeting: reminder"),
    "proposals.status_changed": _("Proposal: new status"),
    "proposals.reported": _("Proposal or comment reported"),
    "proposals.reminder": _("Proposal waiting for an answer"),
    "groups.join_request": _("Request to join a group"),
    "groups.join_decision": _("Decision on joining a group"),
    "accessibility.feedback": _("Accessibility report"),
    "notifications.new_proposals": _("Notice: new proposals"),
    "notifications.answers": _("Notice: answers to proposals"),
    "notifications.comments": _("Notice: comments"),
    "notifications.plans": _("Notice: development plans"),
    "notifications.meetings": _("Notice: network meetings"),
    "notifications.group_messages": _("Message from a group"),
    "notifications.digest": _("Weekly summary"),
}

# A kind added later still reads as words by the app that sends it.
FAMILIES = {
    "account": _("Account"),
    "meetings": _("Network meeting"),
    "proposals": _("Proposal"),
    "groups": _("Local development group"),
    "notifications": _("Notice"),
    "accessibility": _("Accessibility report"),
}


# allauth's e-mails that carry nothing secret: notices of a change already made, and the
# answer to a request for an address without an account. Every other account e-mail
# carries a link or a code that acts for its recipient, and no one else reads its body
# (allas.redaction): an account e-mail allauth adds later is hidden until listed here.
ACCOUNT_NOTICES = frozenset(
    {
        "account.email_confirm",
        "account.email_added",
        "account.email_changed",
        "account.email_deleted",
        "account.account_already_exists",
        "account.unknown_account",
        "account.password_reset",
        "account.password_changed",
        "account.password_set",
        "account.totp_activated",
        "account.totp_deactivated",
        "account.recovery_codes_generated",
        "account.recovery_code_used",
        "account.webauthn_added",
        "account.webauthn_removed",
    }
)


def hides_whole_body(kind: str) -> bool:
    """An account e-mail whose body may carry a code (a log-in code, a code for a new
    password or for confirming an address): only its recipient reads it."""
    return kind.replace("/", ".").split(".", 1)[0] == "account" and kind not in ACCOUNT_NOTICES


def kind_label(kind: str) -> str:
    if kind in KINDS:
        return str(KINDS[kind])
    family = kind.replace("/", ".").split(".", 1)[0]
    return str(FAMILIES.get(family, _("Other e-mail")))


@admin.display(description=_("what"), ordering="kind")
def kind_column(email) -> str:
    return kind_label(email.kind)


class KindFilter(admin.SimpleListFilter):
    title = _("what")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = OutboundEmail.objects.order_by().values_list("kind", flat=True).distinct()
        return sorted(((k, kind_label(k)) for k in kinds if k), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset

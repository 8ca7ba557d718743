"""The core's own words (allas.vocabulary): what staff do to accounts and in the admin, and
the e-mails of accounts (allauth's) and of the accessibility statement."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditVerb(models.TextChoices):
    ACCOUNT_CHANGED = "account.changed", _("Account changed")
    ACCOUNT_RIGHTS_CHANGED = "account.rights_changed", _("Rights changed")
    ACCOUNT_DELETED = "account.deleted", _("Account deleted")
    # What staff save straight in the admin's forms, outside any service.
    ADMIN_ADDED = "admin.added", _("Added in the admin")
    ADMIN_CHANGED = "admin.changed", _("Changed in the admin")
    ADMIN_DELETED = "admin.deleted", _("Deleted in the admin")


AUDIT_SUMMARIES = {
    AuditVerb.ACCOUNT_CHANGED: _("Changed: %(fields)s."),
    AuditVerb.ACCOUNT_RIGHTS_CHANGED: _("Changed: %(fields)s."),
    AuditVerb.ACCOUNT_DELETED: _("Deleted the account."),
    AuditVerb.ADMIN_ADDED: _("Created in the admin."),
    AuditVerb.ADMIN_CHANGED: _("Changed in the admin: %(fields)s."),
    AuditVerb.ADMIN_DELETED: _("Deleted in the admin."),
}

EMAIL_KINDS = {
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
    "accessibility.feedback": _("Accessibility report"),
}

# An e-mail allauth adds later still reads as words.
EMAIL_FAMILIES = {
    "account": _("Account"),
    "accessibility": _("Accessibility report"),
}

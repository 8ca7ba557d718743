"""allauth forms the portal changes. Apart from allas.forms, which allauth itself imports
(ACCOUNT_SIGNUP_FORM_CLASS), so that importing allauth's forms here makes no cycle."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.internal.userkit import filter_users_by_email


class ResetPasswordForm(AllauthResetPasswordForm):
    """Answers the same for every address, so that nobody can find out whether an address
    has an account here. A known address gets the reset link, an unknown one an e-mail
    that says there is no account (allauth's, through the outbox). allauth itself would
    refuse an unknown address here, because enumeration prevention is off for signup."""

    def clean_email(self):
        email = get_adapter().clean_email(self.cleaned_data["email"].lower())
        self.users = filter_users_by_email(
            email, is_active=True, prefer_verified=True, for_login=True
        )
        return self.cleaned_data["email"]


class AddEmailForm(AllauthAddEmailForm):
    """Tells the account's verified addresses that an address was added: allauth sends a
    notice when the main address changes or one is removed, but not when one is added, and
    an added address, once confirmed, can be used to choose a new password."""

    def save(self, request):
        email_address = super().save(request)
        if email_address.pk:
            get_adapter().send_notification_mail(
                "account/email/email_added", self.user, {"added_email": email_address.email}
            )
        return email_address

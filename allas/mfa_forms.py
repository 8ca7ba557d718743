"""allauth.mfa's code forms with the portal's own labels and help texts."""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.utils.translation import gettext_lazy as _

CODE_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric"}


def _relabel(field, *, label, help_text):
    field.label = label
    field.help_text = help_text
    # A placeholder is no label, and allauth's "Code" would stay English.
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update(CODE_ATTRS)


class AppOrRecoveryCodeMixin:
    """The code field of a form that takes the app's code or one of the recovery codes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(
            self.fields["code"],
            label=_("Code"),
            help_text=_("The six digits your app shows now, or one of your recovery codes."),
        )
        # A recovery code has letters too.
        self.fields["code"].widget.attrs.pop("inputmode")


def _reloaded(authenticator):
    return Authenticator.objects.get(pk=authenticator.pk)


class LoginCodeForm(AppOrRecoveryCodeMixin, AuthenticateForm):
    def save(self):
        super().save()
        # A recovery code is what someone who has the password but not the phone would use:
        # the owner is told, at every verified address, and how many codes are left.
        if self.authenticator.type == Authenticator.Type.RECOVERY_CODES:
            get_account_adapter().send_notification_mail(
                "mfa/email/recovery_code_used",
                self.user,
                # Read again: the code was marked used on a copy of the authenticator.
                {"unused_count": len(_reloaded(self.authenticator).wrap().get_unused_codes())},
            )


class ReauthenticateCodeForm(AppOrRecoveryCodeMixin, ReauthenticateForm):
    pass


class ActivateAppForm(ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(
            self.fields["code"],
            label=_("Code from the app"),
            help_text=_("Six digits. A new code comes every 30 seconds."),
        )

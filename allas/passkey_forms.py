"""allauth.mfa's passkey (WebAuthn) forms with the portal's own labels."""

from functools import cached_property

from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    EditWebAuthnForm,
)
from django.utils.translation import gettext_lazy as _

NAME_LABEL = _("Name of the passkey")
NAME_HELP = _("So that you can tell your passkeys apart, for example “Phone” or “Work computer”.")


class AddPasskeyForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = NAME_LABEL
        self.fields["name"].help_text = NAME_HELP
        self.fields["name"].max_length = 100
        self.fields["name"].widget.attrs.update({"maxlength": "100", "autocomplete": "off"})


class EditPasskeyForm(EditWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = NAME_LABEL
        self.fields["name"].help_text = NAME_HELP
        self.fields["name"].max_length = 100
        self.fields["name"].widget.attrs.update({"maxlength": "100", "autocomplete": "off"})


class LoginPasskeyForm(AuthenticateWebAuthnForm):
    @cached_property
    def has_passkey(self) -> bool:
        """allauth builds this form for everyone: the page offers it to those with a passkey."""
        return Authenticator.objects.filter(
            user=self.user, type=Authenticator.Type.WEBAUTHN
        ).exists()

    @cached_property
    def has_app(self) -> bool:
        """Whether the person logging in also has an authenticator app (the page's words)."""
        return Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP).exists()

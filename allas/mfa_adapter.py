from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .permissions import is_staff_account


class MFAAdapter(DefaultMFAAdapter):
    # allauth's form errors in the portal's words (its catalogue says "tvåfaktorsautentisering").
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": _(
            "Your account has two-step verification. Turn it off before you add an e-mail address."
        ),
        "cannot_delete_authenticator": _(
            "You work in the administration, so your account must have two-step verification. "
            "You cannot turn it off."
        ),
        "cannot_generate_recovery_codes": _(
            "Turn on two-step verification before you create recovery codes."
        ),
        "incorrect_code": _(
            "The code is wrong. Type the code your app shows now, or one of your recovery codes."
        ),
        "unverified_email": _(
            "Confirm your e-mail address before you turn on two-step verification."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Staff need a second factor for every staff right: their account keeps it, in
        # any session, one that has not passed it too. The app stays on; a passkey may go
        # only while another passkey or the app remains. The signed-in user was loaded
        # knowing whether they are staff (allas.backends).
        user = getattr(self.request, "user", None)
        if user is None or user.pk != authenticator.user_id:
            user = authenticator.user
        if is_staff_account(user):
            if authenticator.type == Authenticator.Type.TOTP:
                return False
            if authenticator.type == Authenticator.Type.WEBAUTHN:
                others = Authenticator.objects.filter(
                    user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
                ).exclude(pk=authenticator.pk)
                if not others.exists():
                    return False
        return super().can_delete_authenticator(authenticator)

    def generate_authenticator_name(self, user, type: Authenticator.Type) -> str:
        if type != Authenticator.Type.WEBAUTHN:
            return super().generate_authenticator_name(user, type)
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return gettext("Passkey {number}").format(number=count + 1)

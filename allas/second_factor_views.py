"""Setting up an authenticator app or a passkey: allauth's pages, and whoever just set one up
has proved it. A staff member who logged in with the password alone (before they had a
second factor) goes on to the admin without logging in again (allas.permissions)."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.internal import flows as totp_flows
from allauth.mfa.totp.views import ActivateTOTPView
from allauth.mfa.webauthn.internal import flows as webauthn_flows
from allauth.mfa.webauthn.views import AddWebAuthnView
from django.http import HttpResponse, HttpResponseRedirect


def _proved(request, authenticator) -> None:
    """Recorded as allauth records a code or passkey used at login."""
    record_authentication(
        request, request.user, "mfa", id=authenticator.pk, type=authenticator.type
    )


class ActivateAppView(ActivateTOTPView):
    def form_valid(self, form) -> HttpResponse:
        # As allauth's own, keeping what it made: the code just typed proves the app.
        app, recovery_codes = totp_flows.activate_totp(self.request, form)
        self.did_generate_recovery_codes = bool(recovery_codes)
        _proved(self.request, app)
        return HttpResponseRedirect(self.get_success_url())


class AddPasskeyView(AddWebAuthnView):
    def form_valid(self, form) -> HttpResponse:
        # As allauth's own, keeping what it made: the browser just used the new passkey.
        passkey, recovery_codes = webauthn_flows.add_authenticator(
            self.request,
            name=form.cleaned_data["name"],
            credential=form.cleaned_data["credential"],
        )
        self.did_generate_recovery_codes = bool(recovery_codes)
        _proved(self.request, passkey)
        return HttpResponseRedirect(self.get_success_url())


activate_app = ActivateAppView.as_view()
add_passkey = AddPasskeyView.as_view()

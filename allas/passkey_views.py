"""Removing a passkey: staff keep at least one second factor (allas.mfa_adapter)."""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect


class RemovePasskeyView(RemoveWebAuthnView):
    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["can_delete"] = get_adapter().can_delete_authenticator(self.object)
        return context

    def form_valid(self, form) -> HttpResponse:
        authenticator = self.get_object()
        adapter = get_adapter()
        if not adapter.can_delete_authenticator(authenticator):
            messages.error(self.request, adapter.error_messages["cannot_delete_authenticator"])
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


remove_passkey = RemovePasskeyView.as_view()

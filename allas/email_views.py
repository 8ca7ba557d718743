"""The page of a person's own e-mail addresses: allauth's, with each address's possible
actions decided by the rules (allas.permissions.own_addresses), not by the template."""

from allauth.account.views import EmailView

from .permissions import own_addresses


class EmailAddressesView(EmailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["own_addresses"] = own_addresses(context.get("emailaddresses") or [])
        return context


email_addresses = EmailAddressesView.as_view()

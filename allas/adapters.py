from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import services
from .middleware import needs_second_factor
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    # The messages residents meet most, in the portal's own plain words.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": _(
            "There is already an account with this e-mail address. Log in, or ask for a "
            "new password if you have forgotten it."
        ),
        "email_password_mismatch": _("The e-mail address or the password is wrong."),
        "too_many_login_attempts": _(
            "You have tried to log in too many times. Wait a few minutes and try again."
        ),
        "unknown_email": _("There is no account with this e-mail address."),
        "rate_limited": _("You have sent too many requests. Wait a minute and try again."),
        "invalid_or_expired_key": _("The link is wrong or too old."),
    }

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails go through the outbox too, in the recipient's language."""
        user = User.objects.filter(email__iexact=email).first()
        language = (
            (user.language if user else None)
            or translation.get_language()
            or settings.LANGUAGE_CODE
        )
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
        services.email_queue(
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            language=language,
            kind="account." + template_prefix.rsplit("/", 1)[-1],
            # The account it is about; none for an address without one (a password reset).
            cause=user,
        )

    def get_login_redirect_url(self, request):
        # Staff set up their second factor first: the admin will not open without it.
        if needs_second_factor(request.user):
            return reverse("mfa_index")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from . import services
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails go through the outbox too, in the recipient's language."""
        language = (
            User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
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
        )

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import login_limits, services
from .middleware import needs_second_factor
from .models import User
from .permissions import verified_addresses
from .redirects import is_local_path


def _logged_in_within(request, seconds: int) -> bool:
    """Whether this session's latest login or reauthentication is less than `seconds` old."""
    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    return bool(records) and time.time() - records[-1].get("at", 0) < seconds


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

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Not right after logging in: the password typed seconds ago is not asked for
        again before setting up the second factor or changing the account (WCAG 3.3.7,
        redundant entry). A login older than the reauthentication timeout is asked again,
        as allauth asks, in case someone else now sits at the screen."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return not _logged_in_within(context.request, app_settings.REAUTHENTICATION_TIMEOUT)

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

    def is_safe_url(self, url):
        # `?next=` on the login, logout and e-mail pages: a path on this site only. allauth
        # would also take a bare word, and its redirect looks that up as a URL name.
        return is_local_path(url, context.request)

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    # Failed logins: allauth counts them per address alone, so anyone could lock an account
    # with five wrong passwords. allas.login_limits counts per source and address instead.
    def pre_authenticate(self, request, **credentials):
        self._login_attempt = login_limits.attempt_start(request, credentials.get("email", ""))

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user:
            self._login_attempt.succeeded()
        return user

    def authentication_failed(self, request, **credentials):
        self._login_attempt.failed()

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # Called for each address of an account whose password was just reset.
        super()._delete_login_attempts_cached_email(request, **credentials)
        login_limits.clear(credentials.get("email", ""))

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """A security notice (password, e-mail address, second factor changed) goes to every
        verified address of the account, not only the main one: whoever made the change may
        control that one. allauth names an extra address when the main one was replaced."""
        if not app_settings.EMAIL_NOTIFICATIONS:
            return
        addresses = verified_addresses(user)
        if email and email.lower() not in {address.lower() for address in addresses}:
            addresses.append(email)
        request = self.request
        path = reverse("account_reset_password")
        ctx = {
            "timestamp": timezone.now(),
            "ip": self.get_client_ip(request) if request else "",
            "user_agent": self.get_http_user_agent(request)[:200] if request else "",
            "password_reset_url": (
                request.build_absolute_uri(path) if request else settings.SITE_URL + path
            ),
            "municipality": settings.MUNICIPALITY,
            **(context or {}),
        }
        with translation.override(user.language or settings.LANGUAGE_CODE):
            for address in addresses:
                self.send_mail(template_prefix, address, ctx)

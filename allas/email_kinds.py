"""What each e-mail in the outbox is, in words: the outbox stores a kind such as
"meetings.reminder", which staff should not have to decode. Each app names its kinds in its
words module (allas.vocabulary); here they become the outbox's column and filter, and the
account e-mails whose body only their recipient reads are told apart."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OutboundEmail
from .vocabulary import email_kind_label

# allauth's e-mails that carry nothing secret: notices of a change already made, and the
# answer to a request for an address without an account. Every other account e-mail
# carries a link or a code that acts for its recipient, and no one else reads its body
# (allas.redaction): an account e-mail allauth adds later is hidden until listed here.
ACCOUNT_NOTICES = frozenset(
    {
        "account.email_confirm",
        "account.email_added",
        "account.email_changed",
        "account.email_deleted",
        "account.account_already_exists",
        "account.unknown_account",
        "account.password_reset",
        "account.password_changed",
        "account.password_set",
        "account.totp_activated",
        "account.totp_deactivated",
        "account.recovery_codes_generated",
        "account.recovery_code_used",
        "account.webauthn_added",
        "account.webauthn_removed",
    }
)


def hides_whole_body(kind: str) -> bool:
    """An account e-mail whose body may carry a code (a log-in code, a code for a new
    password or for confirming an address): only its recipient reads it."""
    return kind.replace("/", ".").split(".", 1)[0] == "account" and kind not in ACCOUNT_NOTICES


@admin.display(description=_("what"), ordering="kind")
def kind_column(email) -> str:
    return email_kind_label(email.kind)


class KindFilter(admin.SimpleListFilter):
    title = _("what")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = OutboundEmail.objects.order_by().values_list("kind", flat=True).distinct()
        return sorted(((k, email_kind_label(k)) for k in kinds if k), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset

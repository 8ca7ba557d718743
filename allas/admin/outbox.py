"""The outbox in the admin: every e-mail the portal sends, its delivery and its cause,
with its secrets hidden."""

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import redaction
from ..email_kinds import KindFilter, kind_column
from ..models import OutboundEmail
from ..services import periodic_status
from .read_only import ReadOnlyAdmin, local_moment


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """Read-only: the outbox is written by the portal's workflows, never by hand. Staff see
    each e-mail with its secrets (personal links, codes, calendar UIDs) hidden
    (allas.redaction): a password reset for a superuser must not be theirs to follow."""

    list_display = [
        "created_at",
        "to",
        "shown_subject",
        kind_column,
        "delivery",
        "attempts",
        "error",
        "sent_at",
        "caused_by",
    ]
    list_filter = ["status", KindFilter]
    list_select_related = ["cause_type"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "to",
        "shown_subject",
        kind_column,
        "delivery",
        "attempts",
        "shown_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "caused_by",
        "dedup_key",
        "language",
        "shown_headers",
        "shown_text",
        "shown_html",
        "attachment_names",
    ]
    readonly_fields = fields
    # Filters over the stored body, headers or attachments would read a secret a character
    # at a time from the number of rows found: only these fields are filtered on.
    filterable_fields = frozenset(
        {
            "to",
            "subject",
            "kind",
            "status",
            "attempts",
            "created_at",
            "sent_at",
            "language",
            "dedup_key",
        }
    )

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP, 1)[0] not in self.filterable_fields:
            return False
        return super().lookup_allowed(lookup, value, request)

    def _shown(self, obj) -> dict:
        # One redaction per row and request, however many fields show it.
        if getattr(obj, "_shown", None) is None:
            obj._shown = redaction.redacted(obj)
        return obj._shown

    @admin.display(description=_("subject"), ordering="subject")
    def shown_subject(self, obj):
        return redaction.redacted_text(obj.subject)

    @admin.display(description=_("last error"))
    def shown_error(self, obj):
        return self._shown(obj)["last_error"]

    @admin.display(description=_("extra headers"))
    def shown_headers(self, obj):
        return "\n".join(f"{name}: {value}" for name, value in self._shown(obj)["headers"].items())

    @admin.display(description=_("text"))
    def shown_text(self, obj):
        return self._shown(obj)["body_text"]

    @admin.display(description=_("HTML"))
    def shown_html(self, obj):
        return self._shown(obj)["body_html"]

    @admin.display(description=_("attachments"))
    def attachment_names(self, obj):
        return ", ".join(a.get("filename", "") for a in obj.attachments or [])

    @admin.display(description=_("status"), ordering="status")
    def delivery(self, obj):
        if obj.may_have_been_sent():
            return _("May have been sent: its worker stopped. Sent again after %(time)s.") % {
                "time": local_moment(obj.claimed_until)
            }
        if obj.status == OutboundEmail.Status.RETRYING and obj.next_attempt_at:
            return _("Will try again %(time)s") % {"time": local_moment(obj.next_attempt_at)}
        return obj.get_status_display()

    @admin.display(description=_("last error"))
    def error(self, obj):
        if not obj.last_error:
            return ""
        return Truncator(self._shown(obj)["last_error"]).chars(120)

    @admin.display(description=_("caused by"))
    def caused_by(self, obj):
        # From the content type alone (cached), so the list costs no query per row.
        if not obj.cause_type_id:
            return ""
        model = obj.cause_type.model_class()
        text = f"{model._meta.verbose_name if model else obj.cause_type.model} {obj.cause_id}"
        try:
            url = reverse(
                f"admin:{obj.cause_type.app_label}_{obj.cause_type.model}_change",
                args=[obj.cause_id],
            )
        except NoReverseMatch:
            return text
        return format_html('<a href="{}">{}</a>', url, text)

    def changelist_view(self, request, extra_context=None):
        # Whether the sweep runs at all: an operator's first question when mail is late.
        extra_context = {**(extra_context or {}), "periodic": periodic_status()}
        return super().changelist_view(request, extra_context=extra_context)

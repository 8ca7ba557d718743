"""The groups' dialogue meetings and their sign-ups in the admin, for staff to follow up
and correct. The groups' coordinators create and run the meetings on their own pages
(manage_views); a change of time or place saved here goes through the same service, so
everyone signed up is told. A sign-up's personal token is its owner's: never shown,
searched, filtered on or exported here."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy, ngettext

from allas.admin_choices import PortalAdmin
from allas.audit import AuditedAdmin
from allas.page_cache import RenewsPublicContentAdmin
from groups.models import DialogueMeeting

from ..forms import label_split_datetimes
from ..models import SignUp
from . import lifecycle
from .common import MeetingError

Status = SignUp.Status
# What the service still changes; a cancelled or held meeting is a record.
CHANGEABLE = (DialogueMeeting.Status.DRAFT, DialogueMeeting.Status.PUBLISHED)


def _https_links(db_field, **kwargs):
    # Also for the form the admin derives when every field is shown read-only.
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class DialogueMeetingAdminForm(forms.ModelForm):
    """The rules about times in plain words, at the field they are about."""

    online_link = forms.URLField(
        label=gettext_lazy("Online link (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=gettext_lazy("Only if people can also take part online."),
    )

    class Meta:
        model = DialogueMeeting
        fields = [*lifecycle.EDITABLE, "goals"]
        formfield_callback = _https_links

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_split_datetimes(self)

    def clean(self):
        data = super().clean()
        for field, message in lifecycle.time_errors(
            data.get("starts_at"), data.get("ends_at"), data.get("signup_deadline")
        ).items():
            self.add_error(field, message)
        return data


@admin.register(DialogueMeeting)
class DialogueMeetingAdmin(RenewsPublicContentAdmin, AuditedAdmin, PortalAdmin):
    form = DialogueMeetingAdminForm
    list_display = ["title", "group", "kind", "starts_at", "status", "seated", "waiting"]
    list_filter = ["status", "kind", "group"]
    list_select_related = ["group"]
    search_fields = ["title", "venue", "description"]
    date_hierarchy = "starts_at"
    fields = [
        "group",
        *lifecycle.EDITABLE,
        "goals",
        "status",
        "cancel_reason",
        "attendance",
        "minutes",
        "minutes_published_at",
        "short_code",
        "sequence",
        "kept_signup_count",
        "personal_data_removed_at",
        "created_by",
        "created_at",
        "published_at",
        "updated_at",
    ]
    # The steps (publishing, cancelling, marking held, the minutes) are the services', on
    # the group's pages, where the people signed up are told: here they are only shown.
    readonly_fields = [name for name in fields if name not in (*lifecycle.EDITABLE, "goals")]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in CHANGEABLE:
            return self.fields
        return self.readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                seated_count=Count("signups", filter=Q(signups__status=Status.SIGNED_UP)),
                waiting_count=Count("signups", filter=Q(signups__status=Status.WAITING)),
            )
        )

    @admin.display(description=gettext_lazy("People signed up"), ordering="seated_count")
    def seated(self, obj):
        return obj.seated_count

    @admin.display(description=gettext_lazy("Waiting list"), ordering="waiting_count")
    def waiting(self, obj):
        return obj.waiting_count

    def has_add_permission(self, request):
        # A meeting belongs to a group: its coordinators (or staff) make it on the group's page.
        return False

    def has_delete_permission(self, request, obj=None):
        # A meeting is cancelled, so that everyone signed up is told; it is never deleted.
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, which tells everyone signed up of a new time or place;
        # the SLUS areas go with it, and the admin's own saving of them changes nothing.
        if not form.changed_data:
            return
        fields = {name: form.cleaned_data[name] for name in lifecycle.EDITABLE}
        try:
            told = lifecycle.dialogue_edit(
                meeting=obj, fields=fields, goals=form.cleaned_data["goals"], by=request.user
            )
        except MeetingError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        if told:
            self.message_user(
                request,
                ngettext(
                    "%(n)d person was sent the new time or place and a calendar file.",
                    "%(n)d people were sent the new time or place and a calendar file.",
                    told,
                )
                % {"n": told},
            )


@admin.register(SignUp)
class SignUpAdmin(AuditedAdmin, PortalAdmin):
    """The sign-ups, to answer a person's question. A sign-up is cancelled, never deleted,
    so the waiting list moves up (on the group's page, or by the person's own link)."""

    list_display = ["name", "email", "meeting", "status", "changed_by", "created_at"]
    list_filter = ["status", "changed_by", "meeting__group"]
    list_select_related = ["meeting"]
    search_fields = ["name", "email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["user"]
    # The token is the person's own link: not shown, and neither searched nor filtered on.
    exclude = ["token"]
    fields = [
        "meeting",
        "user",
        "name",
        "email",
        "status",
        "food_needs",
        "access_needs",
        "language",
        "queued_at",
        "confirmed_at",
        "cancelled_at",
        "changed_by",
        "reminded_at",
        "created_at",
    ]
    # Names and needs can be corrected; the rest is the sign-up's own workflow.
    readonly_fields = [
        name for name in fields if name not in ("name", "food_needs", "access_needs")
    ]

    def lookup_allowed(self, lookup, value, request=None):
        return not lookup.startswith("token") and super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

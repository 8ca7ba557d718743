from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa import admin as _mfa_admin  # noqa: F401  registers Authenticator
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import audit, redaction
from .email_kinds import KindFilter, kind_column
from .exports import csv_download
from .forms import LANGUAGE_CHOICES
from .models import AccessibilityFeedback, AuditEvent, Locality, OutboundEmail, SlusGoal, User
from .permissions import (
    can_change_account,
    can_change_sign_in,
    can_delete_account,
    can_manage_rights,
    is_staff_member,
)
from .services import periodic_status

admin.site.site_header = _("Allas Vimmerby – administration")
admin.site.site_title = _("Allas Vimmerby")
admin.site.index_title = _("Development department")
# The admin's login is allauth's, so its rate limits and the second factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)

# Who may hold rights: only a superuser may see or change them, so no staff member can
# raise their own or anyone's.
RIGHTS_FIELDS = audit.RIGHTS_FIELDS


@admin.register(Locality)
class LocalityAdmin(audit.AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "population", "population_year"]
    search_fields = ["name"]
    # Slugs are part of the public URLs (a contract), so they are not edited here.
    readonly_fields = ["slug"]


@admin.register(SlusGoal)
class SlusGoalAdmin(audit.AuditedAdmin, admin.ModelAdmin):
    list_display = ["number", "short_name", "name", "slug"]
    readonly_fields = ["slug"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "home_locality", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "home_locality", "age_band", "groups"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language", "home_locality", "age_band"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "password1", "password2"],
            },
        )
    ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language":
            # Each language by its own name, as on the profile page.
            kwargs["choices"] = LANGUAGE_CHOICES
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_manage_rights(request.user):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in RIGHTS_FIELDS]})
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        if can_manage_rights(request.user):
            return self.list_filter
        return [f for f in self.list_filter if f not in RIGHTS_FIELDS]

    def get_list_display(self, request):
        if can_manage_rights(request.user):
            return self.list_display
        return [f for f in self.list_display if f not in RIGHTS_FIELDS]

    def lookup_allowed(self, lookup, value, request=None):
        # Django allows a filter on any of the model's own fields, shown or not, and on a
        # relation's id: without this, a filter on a rights field in the address (or on
        # groups__id) would list who holds rights. Staff filter on what they are shown.
        if request is None or not can_manage_rights(request.user):
            shown = {f for _name, options in self.fieldsets for f in options["fields"]}
            if lookup.split(LOOKUP_SEP, 1)[0] not in shown - {"password", *RIGHTS_FIELDS}:
                return False
        return super().lookup_allowed(lookup, value, request)

    def user_change_password(self, request, id, form_url=""):
        account = self.get_object(request, unquote(id))
        if account is not None and not can_change_sign_in(request.user, account):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_change_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not can_delete_account(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    # The admin runs each of these inside the transaction of the change.
    def save_model(self, request, obj, form, change):
        # On the object, not on this admin, which all requests share.
        obj._stored_before = audit.account_state(obj) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        after = audit.account_state(form.instance)
        before = getattr(form.instance, "_stored_before", {})
        changed = [name for name, value in after.items() if before.get(name) != value]
        audit.record_account_change(
            by=request.user, account=form.instance, fields=changed, created=not change
        )

    def log_change(self, request, obj, message):
        # The password form is the one change that does not pass save_related.
        if (
            request.resolver_match
            and request.resolver_match.url_name == "auth_user_password_change"
        ):
            audit.record_account_change(
                by=request.user, account=obj, fields=["password"], created=False
            )
        return super().log_change(request, obj, message)

    def delete_model(self, request, obj):
        audit.record_account_deleted(by=request.user, account=obj)
        super().delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        # The bulk action asks only for the delete permission in general; this is the first
        # thing it asks about the chosen accounts, before anything is logged or deleted.
        if not all(can_delete_account(request.user, account) for account in objs):
            raise PermissionDenied
        return super().get_deleted_objects(objs, request)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for account in queryset:
            audit.record_account_deleted(by=request.user, account=account)
        super().delete_queryset(request, queryset)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(audit.AuditedAdmin, DjangoGroupAdmin):
    """Permission groups hold rights: a superuser's business only."""

    def has_module_permission(self, request):
        return can_manage_rights(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_rights(request.user)

    def has_add_permission(self, request):
        return can_manage_rights(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_rights(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_rights(request.user)


# allauth registers these when its admin modules are imported, after this app's (it comes
# later in INSTALLED_APPS): imported here first, so that they can be replaced.
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)
# Registered only when confirmations are stored (EMAIL_CONFIRMATION_HMAC off): its list
# shows every unused confirmation key.
if admin.site.is_registered(EmailConfirmation):
    admin.site.unregister(EmailConfirmation)


def _refuse_unless_sign_in_changeable(request, accounts) -> None:
    if not all(can_change_sign_in(request.user, account) for account in accounts):
        raise PermissionDenied


@admin.register(EmailAddress)
class EmailAddressAdmin(audit.AuditedAdmin, AllauthEmailAddressAdmin):
    """An account's addresses sign it in and receive its password resets: one added to a
    superuser's account would hand the account over. Changed only where
    can_change_sign_in allows, whatever permissions a group is given."""

    list_select_related = ["user"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_change_sign_in(request.user, obj.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not can_change_sign_in(request.user, obj.user):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        editor = request.user

        class AddressForm(form):
            def clean_user(self):
                account = self.cleaned_data.get("user")
                if account is not None and not can_change_sign_in(editor, account):
                    raise ValidationError(
                        _("Only a superuser may change how this account signs in.")
                    )
                return account

        return AddressForm

    def get_deleted_objects(self, objs, request):
        # Before the bulk action logs or deletes anything (see UserAdmin).
        _refuse_unless_sign_in_changeable(request, [address.user for address in objs])
        return super().get_deleted_objects(objs, request)

    @admin.action(
        description=AllauthEmailAddressAdmin.make_verified.short_description,
        permissions=["change"],
    )
    def make_verified(self, request, queryset):
        _refuse_unless_sign_in_changeable(
            request, [a.user for a in queryset.select_related("user")]
        )
        return super().make_verified(request, queryset)


@admin.register(Authenticator)
class AuthenticatorAdmin(audit.AuditedAdmin, admin.ModelAdmin):
    """Second factors are set up by their owner at /konto/2fa/. The admin shows that one
    exists, never its secret (a TOTP key, the seed of the recovery codes), and removes one
    only where can_change_sign_in allows: a lost phone of a resident's, not a colleague's
    or a superuser's factor, and not one's own (the owner's page keeps staff's last one)."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields
    # A filter on the stored data would read its secret a character at a time.
    filterable_fields = frozenset({"user", "type", "created_at", "last_used_at"})

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP, 1)[0] not in self.filterable_fields:
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not can_change_sign_in(request.user, obj.user):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # Before the bulk action logs or deletes anything (see UserAdmin).
        _refuse_unless_sign_in_changeable(request, [factor.user for factor in objs])
        return super().get_deleted_objects(objs, request)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records the portal's workflows write: shown, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
                "time": _when(obj.claimed_until)
            }
        if obj.status == OutboundEmail.Status.RETRYING and obj.next_attempt_at:
            return _("Will try again %(time)s") % {"time": _when(obj.next_attempt_at)}
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


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'Y-m-d')} kl. {date_format(local, 'H.i')}"


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(audit.AuditedAdmin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "page", "email", "handled"]
    list_filter = ["kind", "handled"]
    list_editable = ["handled"]
    readonly_fields = ["created_at", "kind", "page", "message", "name", "email"]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: read by staff of the department, written only by the services."""

    list_display = ["created_at", "who", "verb", "object_kind", "object_label", "group", "summary"]
    list_filter = [
        ("object_type", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
        "verb",
    ]
    list_select_related = ["actor", "object_type", "group"]
    date_hierarchy = "created_at"
    search_fields = ["summary", "object_label", "actor__display_name", "actor__email"]
    actions = ["export_csv"]
    fields = ["created_at", "who", "verb", "object_kind", "object_label", "group", "summary"]
    readonly_fields = fields

    @admin.display(description=_("who"), ordering="actor__display_name")
    def who(self, obj):
        return obj.actor_name

    @admin.display(description=_("kind of object"), ordering="object_type")
    def object_kind(self, obj):
        return audit.object_kind(obj)

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        events = queryset.select_related("actor", "object_type", "group").order_by("-created_at")
        header = [
            _("When"),
            _("Who"),
            _("What"),
            _("Kind of object"),
            _("Object"),
            _("Group"),
            _("Summary"),
        ]
        rows = (
            [
                _when(e.created_at),
                e.actor_name,
                e.get_verb_display(),
                audit.object_kind(e),
                e.object_label,
                e.group.name if e.group_id else "",
                e.summary,
            ]
            for e in events
        )
        return csv_download("handelselogg.csv", header, rows)

    def has_module_permission(self, request):
        return is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)

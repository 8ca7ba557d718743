"""Accounts in the admin: people's accounts, the permission groups that hold rights, and
the e-mail addresses and second factors that sign an account in (allauth's models, with
the portal's rules about who may change them)."""

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
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
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..admin_choices import PortalAdmin
from ..forms import LANGUAGE_CHOICES
from ..models import User
from ..page_cache import RenewsPublicContentAdmin
from ..permissions import (
    can_change_account,
    can_change_sign_in,
    can_delete_account,
    can_manage_rights,
)

# Who may hold rights: only a superuser may see or change them, so no staff member can
# raise their own or anyone's.
RIGHTS_FIELDS = audit.RIGHTS_FIELDS


@admin.register(User)
class UserAdmin(RenewsPublicContentAdmin, PortalAdmin, DjangoUserAdmin):
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
class GroupAdmin(audit.AuditedAdmin, PortalAdmin, DjangoGroupAdmin):
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
class EmailAddressAdmin(audit.AuditedAdmin, PortalAdmin, AllauthEmailAddressAdmin):
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
class AuthenticatorAdmin(audit.AuditedAdmin, PortalAdmin):
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

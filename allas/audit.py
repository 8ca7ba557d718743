"""The audit log: one call in each service that changes something on behalf of a
coordinator or staff member, inside that service's transaction, so the entry and the change
are kept or rolled back together. A public body must be able to say who published a plan,
sent the invitations or cancelled a meeting."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from .models import AuditEvent, Locality, PeriodicJobRun
from .vocabulary import audit_summary
from .words import AuditVerb as Verb

# The retention job's entry in PeriodicJobRun.
RETENTION_JOB = "audit-retention"


def record(
    *, actor, verb: str, obj, locality_id=None, summary=None, values=None
) -> AuditEvent | None:
    """Writes one entry, about the ort `locality_id` where the act concerns its development
    group (whose coordinators then see it on their page). The verb is a word of the app
    that acts (its words module, allas.vocabulary). The summary (that app's
    AUDIT_SUMMARIES[verb] unless given, a lazy translatable text) is filled with `values`
    and stored in the portal's language (Swedish) whatever language the actor uses, like
    the object's name, which is kept so the entry still reads after the object is deleted.
    Without an actor (a data migration, a demo command) no person acted: nothing is kept."""
    if actor is None or not actor.is_authenticated:
        return None
    summary = audit_summary(verb) if summary is None else summary
    with translation.override(settings.LANGUAGE_CODE):
        if values:
            # A list (of changed fields, say) is named in the same language as the rest.
            values = {
                key: ", ".join(str(item) for item in value) if isinstance(value, list) else value
                for key, value in values.items()
            }
        text = str(summary) % values if values else str(summary)
        label = str(obj) if obj is not None else ""
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        object_label=Truncator(label).chars(200),
        locality_id=locality_id,
        summary=Truncator(text).chars(500),
    )


# The rights an account holds in the admin, as the user form names them: only a superuser
# sees or changes them (allas.admin).
RIGHTS_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def retention_period() -> str:
    """How long entries are kept, in words: "3 år", or days where it is not whole years."""
    days = settings.AUDIT_RETENTION_DAYS
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


# What staff can change about an account in the admin.
ACCOUNT_FIELDS = (
    "email",
    "display_name",
    "language",
    "home_locality",
    "age_band",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
)


def account_state(account) -> dict:
    """The account as stored, with its permission groups and single permissions, so that
    a change is told from the database rather than from what a form believes changed."""
    stored = account._meta.model.objects.filter(pk=account.pk)
    state = (
        stored.values(
            *(f"{name}_id" if name == "home_locality" else name for name in ACCOUNT_FIELDS)
        ).first()
        or {}
    )
    state = {name.removesuffix("_id"): value for name, value in state.items()}
    state["groups"] = sorted(account.groups.values_list("pk", flat=True))
    state["user_permissions"] = sorted(account.user_permissions.values_list("pk", flat=True))
    return state


def record_account_change(*, by, account, fields, created: bool) -> AuditEvent | None:
    """Staff created or changed an account in the admin. A change of rights is its own
    kind of entry, so the question "who made this person staff?" has one answer."""
    if created:
        created_text = gettext_lazy("Created the account.")
        return record(actor=by, verb=Verb.ACCOUNT_CHANGED, obj=account, summary=created_text)
    if not fields:
        return None
    rights = any(name in RIGHTS_FIELDS for name in fields)
    verb = Verb.ACCOUNT_RIGHTS_CHANGED if rights else Verb.ACCOUNT_CHANGED
    names = field_names(account._meta.model, fields)
    return record(actor=by, verb=verb, obj=account, values={"fields": names})


def record_account_deleted(*, by, account) -> AuditEvent:
    return record(actor=by, verb=Verb.ACCOUNT_DELETED, obj=account)


class AuditedAdmin:
    """For every ModelAdmin through which anyone can add, change or delete: what the
    admin's own forms save goes through no service, so it is recorded here, one entry per
    object. Django calls these hooks only after a valid form is saved (and just before a
    confirmed delete), inside the transaction of the change: a refused form writes nothing
    and a failed save keeps nothing. Put it before admin.ModelAdmin among the bases."""

    # False where the add form hands over to a service that records the act itself.
    audit_additions = True

    def construct_change_message(self, request, form, formsets, add=False):
        # Django keeps its own history in untranslated words; the entry's summary is
        # written now, while the form can still be asked what changed. On the object
        # the log hooks receive, not on this admin, which all requests share.
        form.instance._audit_summary = admin_edit_summary(form, formsets or [], added=add)
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        if self.audit_additions:
            record_admin_edit(by=request.user, obj=obj, added=True)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record_admin_edit(by=request.user, obj=obj, added=False)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(
                actor=request.user,
                verb=Verb.ADMIN_DELETED,
                obj=obj,
                locality_id=group_locality_of(obj),
            )
        return super().log_deletions(request, queryset)


def record_admin_edit(*, by, obj, added: bool) -> AuditEvent | None:
    """One entry for a form saved in the admin. A change form saved without a change
    records nothing."""
    summary = getattr(obj, "_audit_summary", "")
    if not summary:
        return None
    return record(
        actor=by,
        verb=Verb.ADMIN_ADDED if added else Verb.ADMIN_CHANGED,
        obj=obj,
        locality_id=group_locality_of(obj),
        summary=summary,
    )


def admin_edit_summary(form, formsets, *, added: bool) -> str:
    """What a saved admin form changed, in the portal's language: the fields by their
    names (never their values, so no secret is copied into the log) and each inline row
    added, changed or deleted. Empty when nothing changed."""
    with translation.override(settings.LANGUAGE_CODE):
        sentences = [str(audit_summary(Verb.ADMIN_ADDED))] if added else []
        if form.changed_data and not added:
            sentences.append(
                str(audit_summary(Verb.ADMIN_CHANGED))
                % {"fields": _labels(form, form.changed_data)}
            )
        for formset in formsets:
            rows = [("added", row, []) for row in formset.new_objects]
            rows += [("changed", row, fields) for row, fields in formset.changed_objects]
            rows += [("deleted", row, []) for row in formset.deleted_objects]
            for what, row, fields in rows:
                sentences.append(
                    str(INLINE_SUMMARIES[what])
                    % {
                        "name": row._meta.verbose_name,
                        "object": row,
                        "fields": _labels(formset.form, fields),
                    }
                )
        return " ".join(sentences)


# Each inline row of a saved admin form, by what happened to it.
INLINE_SUMMARIES = {
    "added": gettext_lazy("Added %(name)s “%(object)s”."),
    "changed": gettext_lazy("Changed %(name)s “%(object)s”: %(fields)s."),
    "deleted": gettext_lazy("Deleted %(name)s “%(object)s”."),
}


def _labels(form, names) -> str:
    """The fields by their verbose names, as the rest of the log names them; a field the
    model does not have (a form's own) by its label."""
    model = form._meta.model
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            field = form.base_fields.get(name)
            labels.append(str(field.label if field is not None and field.label else name))
    return ", ".join(labels)


def group_locality_of(obj):
    """The ort (its id) of the development group an object belongs to (a group, or what
    has a group or a plan of one), so the group's coordinators see staff's edits among
    their group's entries. The core imports no group: it knows one as what an ort's
    one-to-one `group`, declared by the groups app, leads to."""
    try:
        Group = Locality._meta.get_field("group").related_model
    except FieldDoesNotExist:
        return None
    plan = getattr(obj, "plan", None)
    for candidate in (obj, getattr(obj, "group", None), getattr(plan, "group", None)):
        if isinstance(candidate, Group):
            return candidate.locality_id
    return None


def field_names(model, names) -> list:
    """The fields' names as their forms show them, for a summary of what changed."""
    return [
        pgettext_lazy("account field", "password")
        if name == "password"
        else model._meta.get_field(name).verbose_name
        for name in names
    ]


def object_kind(event: AuditEvent) -> str:
    """The kind of object in words, from the cached content type: no query per row."""
    if not event.object_type_id:
        return ""
    model = event.object_type.model_class()
    return str(model._meta.verbose_name) if model else event.object_type.model


def forget_person(objects) -> int:
    """An erased account's name leaves the log: entries about these objects (the account,
    its memberships) read "Former user" instead of the name kept. Who did what stays."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(gettext_lazy("Former user"))
    return AuditEvent.objects.filter(
        object_type=ContentType.objects.get_for_model(objects.model),
        object_id__in=objects.values("pk"),
    ).update(object_label=label)


def events_for_locality(locality_id, *, limit: int):
    """The latest entries about the group of one ort, for its coordinators' page: one
    query."""
    return list(
        AuditEvent.objects.filter(locality_id=locality_id)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def remove_expired(now=None) -> int:
    """The periodic job: entries older than AUDIT_RETENTION_DAYS are deleted (three years
    by default, as the privacy notice says). Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _by_model = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    PeriodicJobRun.objects.update_or_create(job=RETENTION_JOB, defaults={"finished_at": now})
    return deleted

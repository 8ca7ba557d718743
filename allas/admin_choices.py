"""The admin's empty choice in words instead of Django's "---------", which the portal's
Swedish never shows (tests/glossary.py): "Välj" where a choice is required, "Ingen" where
none may be chosen, and "Välj en åtgärd" above the list's actions. Django has no setting for
it, so every admin and inline of the portal derives from PortalAdmin or PortalInline, and
the portal's admin site reports one that does not (its system check, allas.admin_site)."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import pgettext_lazy

DASHES = "---------"
CHOOSE = pgettext_lazy("empty choice", "Choose")
NONE = pgettext_lazy("empty choice", "None")
CHOOSE_ACTION = pgettext_lazy("empty choice", "Choose an action")


def in_words(formfield, db_field):
    empty = NONE if db_field.blank else CHOOSE
    if isinstance(formfield, forms.ModelChoiceField):
        if formfield.empty_label == DASHES:
            formfield.empty_label = empty
    elif isinstance(formfield, forms.ChoiceField):
        formfield.choices = [
            (value, empty if value == "" and label == DASHES else label)
            for value, label in formfield.choices
        ]
    return formfield


class ChoicesInWords:
    """For an admin or an inline: its forms' empty choices in words."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return in_words(formfield, db_field) if formfield is not None else None


class PortalAdmin(ChoicesInWords, admin.ModelAdmin):
    """What every admin of the portal derives from (directly, or by a mixin beside
    Django's or allauth's own admin). A many-to-many field (the six SLUS areas, say) is a
    list of checkboxes: Django's two-list widget names its search icon with aria-label on
    a <span>, which assistive technology may not read (WCAG 4.1.2)."""

    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def get_action_choices(self, request, default_choices=None):
        return super().get_action_choices(request, default_choices=[("", CHOOSE_ACTION)])


class PortalInline(ChoicesInWords, admin.TabularInline):
    pass

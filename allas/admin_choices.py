"""The admin's empty choice in words instead of Django's "---------", which the portal's
Swedish never shows (tests/glossary.py): "Välj" where a choice is required, "Ingen" where
none may be chosen, and "Välj en åtgärd" above the list's actions. Django has no setting for
it and every admin class of the apps derives from ModelAdmin, so its two hooks are wrapped
once at start-up."""

from django import forms
from django.contrib.admin.options import BaseModelAdmin, ModelAdmin
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


def install():
    formfield_for_dbfield = BaseModelAdmin.formfield_for_dbfield
    get_action_choices = ModelAdmin.get_action_choices

    def formfield_in_words(self, db_field, request, **kwargs):
        formfield = formfield_for_dbfield(self, db_field, request, **kwargs)
        return in_words(formfield, db_field) if formfield is not None else None

    def action_choices_in_words(self, request, default_choices=None):
        return get_action_choices(self, request, default_choices=[("", CHOOSE_ACTION)])

    BaseModelAdmin.formfield_for_dbfield = formfield_in_words
    ModelAdmin.get_action_choices = action_choices_in_words

"""The forms of the dialogue meetings' public pages: the sign-up (one step for a signed-in
resident, name and address for everyone else), the needs on the personal page, and the
list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from allas.models import Locality
from allas.text import require_visible
from groups.models import DialogueMeeting

from ..models import SignUp
from .signups import NEED_MAX

NETWORK = "natverksmote"

FOOD = {
    "label": _("Food: allergies or special diet (optional)"),
    "required": False,
    "max_length": NEED_MAX,
    "widget": forms.Textarea(attrs={"rows": 2}),
}
ACCESS = {
    "label": _("Accessibility: what do you need to take part? (optional)"),
    "required": False,
    "max_length": NEED_MAX,
    "widget": forms.Textarea(attrs={"rows": 2}),
    "help_text": _("For example a hearing loop, step-free access or an interpreter."),
}


def _ask_only_what_the_meeting_asks(form, meeting) -> None:
    if not meeting.asks_food:
        del form.fields["food_needs"]
    if not meeting.asks_access:
        del form.fields["access_needs"]


class SignUpForm(forms.Form):
    """A signed-in resident gives only the needs the meeting asks about; anyone else also
    a name and the address the link to confirm goes to."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=SignUp._meta.get_field("name").max_length,
        validators=[require_visible],
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link there. You confirm the sign-up by opening it."),
    )
    food_needs = forms.CharField(**FOOD)
    access_needs = forms.CharField(**ACCESS)

    def __init__(self, *args, meeting: DialogueMeeting, one_step: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if one_step:
            del self.fields["name"], self.fields["email"]
        _ask_only_what_the_meeting_asks(self, meeting)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class NeedsForm(forms.Form):
    food_needs = forms.CharField(**FOOD)
    access_needs = forms.CharField(**ACCESS)

    def __init__(self, *args, meeting: DialogueMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_only_what_the_meeting_asks(self, meeting)


def kind_choices():
    return [
        ("", _("All kinds")),
        *DialogueMeeting.Kind.choices,
        (NETWORK, _("Network meeting")),
    ]


class FilterForm(forms.Form):
    """The list's filters, as a GET form that works without JavaScript. The orter are read
    once, as plain choices."""

    ort = forms.ChoiceField(label=_("Ort"), required=False)
    typ = forms.ChoiceField(label=_("Kind of meeting"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orter = list(Locality.objects.order_by("name").values_list("slug", "name"))
        self.fields["ort"].choices = [("", _("All orter")), *orter]
        self.fields["typ"].choices = kind_choices()

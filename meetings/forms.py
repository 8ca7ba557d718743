from django import forms
from django.utils.translation import gettext_lazy as _

from allas.text import require_visible

from .models import GroupReport, Invitation, NetworkMeeting


class MeetingForm(forms.ModelForm):
    """The admin's meeting form, with the rules about times said in plain words."""

    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("If people can also take part online."),
    )

    class Meta:
        model = NetworkMeeting
        fields = [
            "title",
            "theme",
            "purpose",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "online_link",
            "rsvp_deadline",
            "report_deadline",
            "capacity",
            "minutes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_split_datetimes(self)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        for name in ("rsvp_deadline", "report_deadline"):
            deadline = data.get(name)
            if starts and deadline and deadline > starts:
                self.add_error(name, _("The deadline must be before the meeting starts."))
        held = self.instance.pk and self.instance.status == NetworkMeeting.Status.HELD
        if (data.get("minutes") or "").strip() and not held:
            self.add_error(
                "minutes", _("The minutes can be written once the meeting is marked as held.")
            )
        return data


def label_split_datetimes(form) -> None:
    """The admin's date and time inputs carry only "Datum:" and "Tid:" as loose text: give
    each its own accessible name ("Börjar, datum"), so a screen reader tells them apart."""
    for field in form.fields.values():
        widgets = getattr(field.widget, "widgets", None)
        if isinstance(field, forms.SplitDateTimeField) and widgets and len(widgets) == 2:
            widgets[0].attrs["aria-label"] = f"{field.label}, {_('date')}"
            widgets[1].attrs["aria-label"] = f"{field.label}, {_('time')}"


class AgendaItemForm(forms.ModelForm):
    """The agenda's rows in the admin are a table: each input is named by its column."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Guest's name"), max_length=120, validators=[require_visible])
    email = forms.EmailField(label=_("Guest's e-mail address"))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Are you coming?"),
        choices=[
            (Invitation.Answer.YES, _("Yes, I am coming")),
            (Invitation.Answer.NO, _("No, I cannot come")),
        ],
        widget=forms.RadioSelect,
    )
    dietary_needs = forms.CharField(
        label=_("Food: allergies or special diet (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility: what do you need to take part? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example a hearing loop, step-free access or an interpreter."),
    )


class ReportForm(forms.ModelForm):
    class Meta:
        model = GroupReport
        fields = ["experiences", "plans", "wishes"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}
        labels = {
            "experiences": _("What we did and learned"),
            "plans": _("Our plans for the coming year"),
            "wishes": _("What we want from the network (optional)"),
        }

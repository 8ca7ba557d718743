"""The coordinators' forms for a group's dialogue meetings. The services check the same
rules again (lifecycle._check); the forms say each one at the field it is about, so a
mistake comes back next to what was typed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas.models import SlusGoal
from allas.text import require_visible
from groups.models import DialogueMeeting

from ..forms import label_split_datetimes
from .lifecycle import EDITABLE, time_errors

# Browsers without a date or time picker show plain text boxes: these are what people type
# there ("18.30" as Swedish is written, "18:30" as the picker sends it).
DATE_FORMATS = ["%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
TEXT_MAX = 3000
REASON_MAX = 2000
MINUTES_MAX = 20000


class DateAndTimeInputs(forms.SplitDateTimeWidget):
    """A date picker and a time picker side by side, in Stockholm time; each is a text
    box where the browser has no picker, so it works without JavaScript."""

    def __init__(self, attrs=None):
        super().__init__(attrs, date_format="%Y-%m-%d", time_format="%H:%M")
        self.widgets[0].input_type = "date"
        self.widgets[1].input_type = "time"


def _moment(label, *, required=True, help_text=""):
    return forms.SplitDateTimeField(
        label=label,
        required=required,
        widget=DateAndTimeInputs(),
        input_date_formats=DATE_FORMATS,
        input_time_formats=TIME_FORMATS,
        help_text=help_text,
    )


class MeetingForm(forms.Form):
    """A new meeting, or a change of one: the fields the services take (EDITABLE) and its
    SLUS areas."""

    title = forms.CharField(label=_("Title"), max_length=200, validators=[require_visible])
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=DialogueMeeting.Kind.choices,
        initial=DialogueMeeting.Kind.BYGDEMOTE,
        widget=forms.RadioSelect,
    )
    starts_at = _moment(_("Starts"), help_text=_("Date and time, for example 2026-05-12 18.30."))
    ends_at = _moment(_("Ends"))
    venue = forms.CharField(
        label=_("Place"),
        max_length=200,
        validators=[require_visible],
        help_text=_("For example: Bygdegården in Pelarne"),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online link (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Only if people can also take part online."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the meeting is about and who is welcome. Plain text."),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("SLUS areas"),
        queryset=SlusGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The areas of the social local development strategy (SLUS) it is about."),
    )
    capacity = forms.IntegerField(
        label=_("Number of places (optional)"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_(
            "Leave empty if there is room for everyone. When the places are taken, "
            "new sign-ups go on a waiting list."
        ),
    )
    signup_deadline = _moment(
        _("Last time to sign up (optional)"),
        required=False,
        help_text=_("Leave empty to take sign-ups until the meeting starts."),
    )
    asks_food = forms.BooleanField(
        label=_("Ask about food (allergies, special diets)"), required=False
    )
    asks_access = forms.BooleanField(label=_("Ask about accessibility needs"), required=False)

    def __init__(self, *args, meeting: DialogueMeeting | None = None, **kwargs):
        if meeting is not None:
            kwargs.setdefault("initial", initial_for(meeting))
        super().__init__(*args, **kwargs)
        label_split_datetimes(self)

    def clean(self):
        data = super().clean()
        starts = data.get("starts_at")
        for field, message in time_errors(
            starts, data.get("ends_at"), data.get("signup_deadline")
        ).items():
            self.add_error(field, message)
        # A meeting that has begun keeps its time as it was; a new time is in the future.
        if starts and "starts_at" in self.changed_data and starts <= timezone.now():
            self.add_error("starts_at", _("Choose a time that has not passed yet."))
        return data

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE}


def initial_for(meeting: DialogueMeeting) -> dict:
    initial = {name: getattr(meeting, name) for name in EDITABLE}
    initial["goals"] = [goal.pk for goal in meeting.goals.all()]
    return initial


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        max_length=REASON_MAX,
        validators=[require_visible],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone signed up or on the waiting list gets this in an e-mail."),
    )


class HeldForm(forms.Form):
    attendance = forms.IntegerField(
        label=_("How many came?"),
        min_value=0,
        max_value=100_000,
        help_text=_("Count everyone, also those who came without signing up."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=MINUTES_MAX,
        validators=[require_visible],
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Shown to everyone on the meeting's page, and sent to those who signed up. "
            "The minutes are a public record: write no personal data that does not "
            "belong there."
        ),
    )

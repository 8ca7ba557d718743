import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas.models import SlusGoal
from allas.text import require_visible

from .models import Action


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _goal_field(label, required):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=SlusGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=required,
    )


class PlanForm(forms.Form):
    needs = forms.CharField(
        label=_("The ort's needs and priorities"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In your own words: what the ort needs most, and what the group puts first."),
    )
    goals = _goal_field(_("SLUS areas the group prioritises"), required=False)


class PlanCreateForm(PlanForm):
    year = forms.IntegerField(label=_("Year"), min_value=2017, max_value=2100)
    copy_unfinished = forms.BooleanField(
        label=_("Start with the unfinished actions of the previous plan"),
        required=False,
        initial=True,
    )
    field_order = ["year", "needs", "goals", "copy_unfinished"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[require_visible])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    goals = _goal_field(_("SLUS areas"), required=True)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    responsible = forms.CharField(
        label=_("Responsible"),
        required=False,
        max_length=200,
        help_text=_("Who does it, e.g. the local heritage society or the streets department."),
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("How far the action has come, 0–100."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class NoteForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    text = forms.CharField(label=_("What has happened?"), max_length=500)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("A progress note cannot be dated in the future."))
        return date

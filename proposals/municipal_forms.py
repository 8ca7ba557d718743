"""The forms of the path to the municipality's decision: the group's motivation for lifting
a proposal, staff's registration and decision. Once a step is taken its form corrects it,
and then asks why: the reason is kept and shown beside the step."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from allas.text import require_visible

from .forms import TOO_LONG
from .models import BODY_MAX, Committee, MunicipalCase
from .models.municipality import MOTIVATION_MAX, SUMMARY_MAX
from .services import municipality as path_services


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StepFields:
    """What each step's form shares (a mixin, before forms.Form). `case` is the proposal's
    case (None before it is lifted); when the step was taken before (`correcting`), the
    fields start from what is recorded and a reason is needed."""

    # The fields the step records, as named on MunicipalCase and in the service.
    recorded: tuple[str, ...] = ()

    def __init__(self, *args, case=None, correcting=False, **kwargs):
        self.case = case
        self.correcting = correcting
        if correcting and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(case, name) for name in self.recorded}
            if "committee" in self.recorded:
                kwargs["initial"]["committee"] = case.committee_id
        super().__init__(*args, **kwargs)
        if correcting:
            self.fields["reason"] = forms.CharField(
                label=_("Why is it corrected?"),
                max_length=BODY_MAX,
                error_messages={
                    **TOO_LONG,
                    "required": path_services.reason_error(""),
                },
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Shown to everyone beside the step, with what was changed."),
            )

    def clean(self):
        cleaned = super().clean()
        if self.correcting and not self.errors:
            changed = [
                name
                for name in self.recorded
                if _comparable(cleaned.get(name)) != _comparable(getattr(self.case, name))
            ]
            if not changed:
                raise forms.ValidationError(
                    _("Nothing is different from what is recorded: change what was wrong.")
                )
        return cleaned


def _comparable(value):
    if isinstance(value, str):
        return value.strip()
    return value if value is not None else ""


class LiftForm(StepFields, forms.Form):
    recorded = ("motivation",)

    motivation = forms.CharField(
        label=_("The group's motivation"),
        max_length=MOTIVATION_MAX,
        validators=[require_visible],
        error_messages={
            **TOO_LONG,
            "required": _("Write why the municipality should take up the proposal."),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Why should the municipality take up the proposal? Shown on the proposal's page "
            "and sent to the register. At most 2,000 characters."
        ),
    )


class RegisterForm(StepFields, forms.Form):
    recorded = ("case_number", "committee", "contact_role")

    case_number = forms.CharField(
        label=_("Case number (diarienummer)"),
        max_length=40,
        error_messages={"required": _("Write the case number from the register.")},
    )
    committee = forms.ModelChoiceField(
        label=_("Committee or office responsible"),
        queryset=Committee.objects.none(),
        empty_label=_("Choose a committee or office"),
        error_messages={
            "required": _("Choose the committee or office responsible."),
            "invalid_choice": _("Choose one of the committees and offices in the list."),
        },
    )
    contact_role = forms.CharField(
        label=_("Contact (optional)"),
        max_length=120,
        required=False,
        help_text=_(
            "A role rather than a name, for example “Handläggare, samhällsbyggnadskontoret”."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_number"].help_text = _(
            "As the register writes it, for example %(example)s."
        ) % {"example": settings.CASE_NUMBER_EXAMPLE}
        # The committees offered, and the case's own even if it is no longer offered.
        offered = Q(is_active=True)
        if self.case is not None and self.case.committee_id:
            offered |= Q(pk=self.case.committee_id)
        self.fields["committee"].queryset = Committee.objects.filter(offered)

    def clean_case_number(self):
        case_number = path_services.case_number_cleaned(self.cleaned_data["case_number"])
        error = path_services.case_number_error(case_number)
        if error:
            raise forms.ValidationError(error)
        return case_number


class DecisionForm(StepFields, forms.Form):
    recorded = ("decided_on", "outcome", "summary", "decision_url")

    decided_on = forms.DateField(
        label=_("Decision date"),
        widget=DateInput(),
        error_messages={
            "required": _("Write the date of the decision."),
            "invalid": _("Write the date as year-month-day, for example 2026-03-14."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=MunicipalCase.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the decision's outcome."),
            "invalid_choice": _("Choose the decision's outcome."),
        },
    )
    summary = forms.CharField(
        label=_("What was decided, in plain words"),
        max_length=SUMMARY_MAX,
        validators=[require_visible],
        error_messages={
            **TOO_LONG,
            "required": _("Write what was decided, in a few plain sentences."),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the proposal's page. A few short sentences, without names."),
    )
    decision_url = forms.URLField(
        label=_("Link to the minutes or the decision (optional)"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Write a whole web address, starting with https://.")},
    )

    def clean_decided_on(self):
        decided_on = self.cleaned_data["decided_on"]
        if self.case is not None:
            error = path_services.decision_date_error(decided_on, self.case)
            if error:
                raise forms.ValidationError(error)
        return decided_on


FORMS = {"lift": LiftForm, "register": RegisterForm, "decide": DecisionForm}

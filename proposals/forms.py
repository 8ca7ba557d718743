from django import forms
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from allas import page_cache
from allas.models import Locality, SlusGoal
from allas.text import require_visible
from groups.models import Action

from .meeting_choices import MeetingField, offered_to_author, offered_to_coordinators
from .models import BODY_MAX, COMMENT_MAX, TITLE_MAX, ModerationDecision, Proposal, Report

# Django's own message is stiff; this one says what to do.
TOO_LONG = {
    "max_length": _("Write at most %(limit_value)d characters. You have written %(show_value)d.")
}


class ProposalForm(forms.Form):
    locality = forms.ModelChoiceField(
        label=_("Which ort is the proposal about?"),
        queryset=Locality.objects.all(),
        empty_label=_("Choose an ort"),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        validators=[require_visible],
        error_messages=TOO_LONG,
        help_text=_("A short sentence that says what you propose."),
    )
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=BODY_MAX,
        validators=[require_visible],
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe the idea and why it is good for the ort. At most 5,000 characters. "
            "Do not write personal data about others."
        ),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("SLUS areas (optional)"),
        queryset=SlusGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    raised_at = MeetingField(
        label=_("Raised at a meeting (optional)"),
        help_text=_(
            "If you brought up the proposal at one of the local development group's "
            "meetings, choose the meeting."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is shown, so a form without the field reads no meetings.
        self.offered_meetings = offered_to_author()
        self.fields["raised_at"].choices = self.offered_meetings.choices

    def clean_raised_at(self):
        meeting = self.cleaned_data["raised_at"]
        if meeting is not None and not self.offered_meetings.in_window(meeting):
            raise forms.ValidationError(
                _(
                    "Choose one of the meetings in the list: those of the last %(past)d days "
                    "and the coming %(ahead)d days."
                )
                % {
                    "past": self.offered_meetings.past_days,
                    "ahead": self.offered_meetings.days_ahead,
                }
            )
        return meeting

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Write a title."))
        return title

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write your proposal."))
        return body


class ProposalEditForm(ProposalForm):
    """The author may change the text, not the ort."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["locality"]
        # Where it was raised is set when proposing, and afterwards by the group.
        del self.fields["raised_at"]


def answer_help(choices) -> str:
    """The answer's help text, naming only the offered statuses that need an answer."""
    needing = [str(label).lower() for value, label in choices if value in Proposal.NEEDS_ANSWER]
    if not needing:
        return _("Shown on the proposal and e-mailed to the author and the supporters.")
    return _(
        "Shown on the proposal and e-mailed to the author and the supporters. "
        "Needed if you choose %(statuses)s."
    ) % {"statuses": get_text_list(needing)}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Proposal.Status.choices)
    answer = forms.CharField(
        label=_("Public answer"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Shown on the proposal and e-mailed to the author and the supporters. "
            "Needed for accepted, declined and done."
        ),
    )
    action = forms.ModelChoiceField(
        label=_("Link to an action in the plan (optional)"),
        queryset=Action.objects.none(),
        required=False,
        empty_label=_("No action"),
    )

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        if proposal is not None:
            allowed = Proposal.TRANSITIONS.get(proposal.status, ())
            self.fields["status"].choices = [
                (value, label) for value, label in Proposal.Status.choices if value in allowed
            ]
            self.fields["answer"].help_text = answer_help(self.fields["status"].choices)
            # Any action of any group, so that a forged id reaches the service's own check
            # and gets its clear message; the choices offered are the ort's own.
            self.fields["action"].queryset = Action.objects.select_related("plan__group")
            self.offered_actions = (
                Action.objects.published()
                .filter(plan__group__locality_id=proposal.locality_id)
                .select_related("plan")
            )

    def clean(self):
        cleaned = super().clean()
        # Also the service's rule; said here so that the error stands next to the answer,
        # with the status and the text the coordinator chose kept in the form.
        if cleaned.get("status") in Proposal.NEEDS_ANSWER and not cleaned.get("answer", "").strip():
            self.add_error(
                "answer", _("Write a public answer that tells the author and everyone else why.")
            )
        return cleaned

    @property
    def chosen_action(self) -> str:
        """The action to show as chosen: what was posted, else the proposal's own."""
        if self.is_bound:
            return str(self.data.get("action") or "")
        return str(getattr(self.proposal, "action_id", None) or "")


class RaisedAtForm(forms.Form):
    """The ort's coordinators and staff say at which of the group's meetings the proposal
    was raised, or clear it."""

    raised_at = MeetingField(
        label=_("The meeting where the proposal was raised"),
        help_text=_(
            "The proposal's page names the meeting, and the meeting's page lists the proposal."
        ),
    )

    def __init__(self, *args, proposal, **kwargs):
        kwargs.setdefault("initial", {"raised_at": proposal.raised_at_id})
        super().__init__(*args, **kwargs)
        self.offered_meetings = offered_to_coordinators(proposal)
        self.fields["raised_at"].choices = self.offered_meetings.choices


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        validators=[require_visible],
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write a comment."))
        return body


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("More about it (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ModerationDecision.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


SORTS = [
    ("newest", _("Newest")),
    ("supported", _("Most supported")),
    ("discussed", _("Most discussed")),
    ("answered", _("Recently answered")),
]


class FilterForm(forms.Form):
    """The list's filters, as a GET form that works without JavaScript. The orter and
    areas are read once each, as plain choices, so rendering adds no queries."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    ort = forms.ChoiceField(label=_("Ort"), required=False)
    mal = forms.ChoiceField(label=_("SLUS area"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Proposal.Status.choices],
        required=False,
    )
    # Where the proposal is at the municipality: lifted or registered ("hos"), decided.
    kommunen = forms.ChoiceField(
        label=_("The municipality"),
        choices=[
            ("", _("All proposals")),
            ("hos", _("At the municipality")),
            ("beslutat", _("Decided by the municipality")),
        ],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orter, areas = _filter_choices()
        self.fields["ort"].choices = [("", _("All orter")), *orter]
        self.fields["mal"].choices = [("", _("All areas")), *areas]


def _filter_choices():
    """Read once per content version (admin changes to orter and areas renew it)."""
    return page_cache.cached_public(
        "filter-choices",
        lambda: (
            list(Locality.objects.order_by("name").values_list("slug", "name")),
            list(SlusGoal.objects.order_by("number").values_list("slug", "short_name")),
        ),
    )

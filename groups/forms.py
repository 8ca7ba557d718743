from django import forms
from django.utils.translation import gettext_lazy as _

from allas.models import AgeBand

from .models import DevelopmentGroup, Membership, Sector


class JoinForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("What do you mainly represent in the group?"),
        choices=Sector.choices,
        widget=forms.RadioSelect,
        help_text=_("Choose residents if you take part as a private person."),
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        choices=AgeBand.choices,
        help_text=_("Helps the group see whether people of all ages take part."),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The group's coordinators read this."),
    )


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the person (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MemberForm(forms.Form):
    sector = forms.ChoiceField(label=_("Represents"), choices=Sector.choices)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    is_delegate = forms.BooleanField(
        label=_("Network delegate"),
        required=False,
        help_text=_("Represents the group in the network and is invited to its meetings."),
    )


class GroupForm(forms.ModelForm):
    class Meta:
        model = DevelopmentGroup
        fields = ["description", "meeting_info", "contact_email"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "meeting_info": forms.Textarea(attrs={"rows": 3}),
        }

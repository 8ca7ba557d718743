from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityFeedback, AgeBand, Locality, User
from .text import require_visible


class SignupForm(forms.Form):
    """What allauth's signup asks besides e-mail and password: only what the portal needs."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        validators=[require_visible],
        help_text=_("Shown next to what you write. It can be your first name or a nickname."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    home_locality = forms.ModelChoiceField(
        label=_("Home ort (optional)"),
        queryset=Locality.objects.all(),
        required=False,
        empty_label=_("Do not want to say"),
    )
    age_band = forms.ChoiceField(
        label=_("Age (optional)"),
        choices=AgeBand.choices,
        initial=AgeBand.NOT_STATED,
        required=False,
        help_text=_("Helps the local groups see whether people of all ages take part."),
    )

    field_order = ["email", "display_name", "password1", "password2", "home_locality", "age_band"]

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Write a display name."))
        return name

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.home_locality = self.cleaned_data.get("home_locality")
        user.age_band = self.cleaned_data.get("age_band") or AgeBand.NOT_STATED
        user.save(update_fields=["display_name", "home_locality", "age_band"])


LANGUAGE_CHOICES = [("sv", "Svenska"), ("en", "English")]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "home_locality", "age_band", "language"]
        labels = {
            "home_locality": _("Home ort (optional)"),
            "age_band": _("Age (optional)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].validators.append(require_visible)
        # The same choices as at signup: "Do not want to say", not "---------".
        self.fields["home_locality"].empty_label = _("Do not want to say")
        # Optional, as its label says; an empty answer means "not stated".
        self.fields["age_band"].required = False
        # Each language by its own name, so that a reader finds theirs whichever is on.
        self.fields["language"].choices = LANGUAGE_CHOICES

    def clean_age_band(self):
        return self.cleaned_data.get("age_band") or AgeBand.NOT_STATED

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Write a display name."))
        return name


class AccessibilityFeedbackForm(forms.ModelForm):
    # Without a blank "---------" choice: one of the three must be picked.
    kind = forms.ChoiceField(
        label=_("What it is about"),
        choices=AccessibilityFeedback.Kind.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = AccessibilityFeedback
        fields = ["kind", "page", "message", "name", "email"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("So that no one else can delete your account."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, delete my account and my personal data"), required=True
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is wrong."))
        return password

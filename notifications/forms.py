from django import forms
from django.utils.translation import gettext_lazy as _

from allas.vocabulary import notice_kinds

from .models import Delivery


class SettingsForm(forms.Form):
    """One choice per kind: direct, weekly digest or never."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in notice_kinds().items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how you want to hear about this.")},
            )

    def kinds(self):
        return [self[kind] for kind in notice_kinds()]

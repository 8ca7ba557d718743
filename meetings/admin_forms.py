from django import forms
from django.utils.translation import gettext_lazy as _

from .guards import CANCEL_REASON_MISSING


class CancelForm(forms.Form):
    """Cancelling asks why: the reason goes to everyone invited."""

    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("This text is sent to everyone invited, in the cancellation e-mail."),
        error_messages={"required": CANCEL_REASON_MISSING},
    )

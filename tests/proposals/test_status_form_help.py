"""The group's answer form names, in its help text, only the statuses it offers that need
a public answer: never one the proposal cannot move to."""

import pytest
from django.utils import translation

from proposals.forms import StatusForm
from proposals.models import Proposal

Status = Proposal.Status


def help_for(status, language="en"):
    # Unsaved: the form reads only the status and the ort.
    proposal = Proposal(status=status, locality_id=1)
    with translation.override(language):
        form = StatusForm(proposal=proposal)
        return str(form.fields["answer"].help_text), [v for v, _ in form.fields["status"].choices]


@pytest.mark.parametrize(
    ("status", "needing"),
    [
        (Status.SUBMITTED, "Needed if you choose accepted or declined."),
        (Status.UNDER_REVIEW, "Needed if you choose accepted or declined."),
        (Status.ACCEPTED, "Needed if you choose done."),
    ],
)
def test_the_help_text_names_only_offered_statuses_that_need_an_answer(status, needing):
    text, offered = help_for(status)
    assert text.endswith(needing)
    for value, label in Status.choices:
        if value not in offered:
            assert str(label).lower() not in text.split("Needed")[1]


def test_a_form_that_offers_no_such_status_names_none():
    text, offered = help_for(Status.DECLINED)
    assert offered == [Status.UNDER_REVIEW]
    assert text == "Shown on the proposal and e-mailed to the author and the supporters."


def test_the_statuses_are_named_in_the_pages_language():
    text, _offered = help_for(Status.SUBMITTED, language="sv")
    assert "antaget" in text and "avslaget" in text and "genomfört" not in text

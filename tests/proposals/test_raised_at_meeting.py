"""A proposal raised at a group's dialogue meeting: the author names the meeting when
proposing, the ort's coordinators set or clear it afterwards, the proposal's page names
the meeting and the meeting's page gets its proposals (proposals.meeting_links)."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from allas.models import AuditEvent, Locality
from groups.models import DevelopmentGroup, DialogueMeeting
from proposals import meeting_links, services
from proposals.models import Proposal, Visibility
from tests.dialogue_factories import dialogue_meeting
from tests.proposals.conftest import make_proposal, snapshot
from tests.test_pages import assert_valid_html
from tests.test_refused_forms import Page, db_state

pytestmark = pytest.mark.django_db

NEW = "/forslag/nytt/"


def sv(text: str) -> str:
    """The interface's Swedish for an English source text."""
    with translation.override("sv"):
        return translation.gettext(text)


def shown(text: str) -> str:
    """The Swedish text as a page shows it, escaped."""
    return escape(sv(text))


def group(slug="storebro") -> DevelopmentGroup:
    return DevelopmentGroup.objects.get(locality__slug=slug)


def meeting(days: float, slug="storebro", **fields) -> DialogueMeeting:
    """A meeting of the ort's group starting `days` from now (negative: in the past)."""
    starts_at = timezone.now() + datetime.timedelta(days=days)
    return dialogue_meeting(group(slug), starts_at=starts_at, **fields)


def long_date(meeting: DialogueMeeting) -> str:
    with translation.override("sv"):
        return date_format(timezone.localtime(meeting.starts_at), "j F Y")


def propose(client, raised_at, slug="storebro"):
    data = {
        "locality": Locality.objects.get(slug=slug).pk,
        "title": "Fler bänkar vid sjön",
        "body": "Det behövs fler ställen att vila på.",
        "raised_at": raised_at.pk if isinstance(raised_at, DialogueMeeting) else raised_at,
    }
    return client.post(NEW, data)


def everything():
    """What proposing or setting the meeting could change."""
    return (
        snapshot(),
        sorted(Proposal.objects.values_list("id", "raised_at_id")),
        AuditEvent.objects.count(),
    )


# -- the author's choice -----------------------------------------------------------


def test_the_form_offers_the_public_meetings_of_the_window_most_recent_first(
    resident_client,
):
    held = meeting(-10, title="Bygdemöte om skolan", status="held")
    coming = meeting(5, title="Vandring längs ån")
    other_ort = meeting(-2, "sodra-vi", title="Workshop i Södra Vi")
    not_offered = [
        meeting(3, title="Utkast till möte", status="draft"),
        meeting(-5, title="Inställt möte", status="cancelled"),
        meeting(-61, title="Gammalt möte", status="held"),
        meeting(15, title="Långt fram"),
    ]
    response = resident_client.get(NEW)
    content = response.content.decode()
    assert_valid_html(response.content)
    assert shown("Raised at a meeting (optional)") in content
    select = content.split('name="raised_at"')[1].split("</select>")[0]
    assert f'<option value="" selected>{shown("No meeting")}</option>' in select
    # Under each ort's name, the orter in alphabetical order, the latest meeting first.
    assert select.index('label="Storebro"') < select.index(f'value="{coming.pk}"')
    assert select.index(f'value="{coming.pk}"') < select.index(f'value="{held.pk}"')
    assert select.index('label="Södra Vi"') < select.index(f'value="{other_ort.pk}"')
    assert select.index('label="Storebro"') < select.index('label="Södra Vi"')
    assert f"Bygdemöte om skolan, {long_date(held)}" in select
    for absent in not_offered:
        assert absent.title not in select


def test_a_resident_names_the_meeting_where_the_proposal_was_raised(resident_client, resident):
    held = meeting(-3, status="held")
    response = propose(resident_client, held)
    proposal = Proposal.objects.get(author=resident)
    assert response.status_code == 302 and response["Location"] == f"/forslag/{proposal.pk}/"
    assert proposal.raised_at == held
    # The author is no coordinator: nothing for the audit log.
    assert not AuditEvent.objects.exists()


def test_no_meeting_is_the_default(resident_client, resident):
    meeting(-3)
    assert propose(resident_client, "").status_code == 302
    assert Proposal.objects.get(author=resident).raised_at is None


def test_a_meeting_page_can_choose_its_meeting_in_the_form(resident_client):
    held = meeting(-3, status="held")
    content = resident_client.get(f"{NEW}?ort=storebro&mote={held.pk}").content.decode()
    assert f'<option value="{held.pk}" selected>' in content
    # Anything else is ignored, not an error.
    for ignored in ("abc", "²", "9" * 30):
        assert resident_client.get(f"{NEW}?mote={ignored}").status_code == 200


OUTSIDE = (
    "Choose one of the meetings in the list: those of the last %(past)d days and the "
    "coming %(ahead)d days."
)
REFUSALS = {
    # what is posted, and the message the page shows
    "another ort's meeting": (
        lambda: meeting(-3, "sodra-vi"),
        "Choose a meeting of the local development group in the proposal's ort.",
    ),
    "a draft": (
        lambda: meeting(2, status="draft"),
        "You can only choose a meeting that is published or has been held.",
    ),
    "a cancelled meeting": (
        lambda: meeting(-2, status="cancelled"),
        "You can only choose a meeting that is published or has been held.",
    ),
    "a meeting long ago": (lambda: meeting(-90, status="held"), OUTSIDE),
    "a meeting far ahead": (lambda: meeting(40), OUTSIDE),
    "no such meeting": (lambda: 987654, "Choose one of the meetings in the list."),
    "not a number": (lambda: "möte", "Choose one of the meetings in the list."),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_bad_meeting_is_refused_in_swedish_and_nothing_is_created(resident_client, case):
    make, message = REFUSALS[case]
    value = make()
    before = everything()
    response = propose(resident_client, value)
    assert response.status_code == 200
    content = response.content.decode()
    assert escape(sv(message) % {"past": 60, "ahead": 14}) in content
    # What was typed is kept.
    assert "Fler bänkar vid sjön" in content
    assert everything() == before


def test_the_service_checks_the_meeting_whatever_the_form_offered(author):
    draft = meeting(-1, status="draft")
    other_ort = meeting(-1, "tuna")
    for refused in (draft, other_ort):
        before = everything()
        with pytest.raises(services.ProposalError):
            make_proposal(author, raised_at=refused)
        assert everything() == before
    assert make_proposal(author, raised_at=meeting(-400, status="held")).raised_at_id


def test_the_author_does_not_change_the_meeting_when_editing(client, author):
    held = meeting(-3, status="held")
    proposal = make_proposal(author, raised_at=held)
    client.force_login(author)
    page = client.get(f"/forslag/{proposal.pk}/redigera/").content.decode()
    assert 'name="raised_at"' not in page
    other = meeting(-4, status="held")
    data = {"title": "Ny rubrik", "body": "Ny text", "raised_at": other.pk}
    assert client.post(f"/forslag/{proposal.pk}/redigera/", data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Ny rubrik" and proposal.raised_at == held


# -- the coordinators afterwards -----------------------------------------------------


def test_a_coordinator_sets_and_clears_the_meeting_with_an_audit_entry(proposal, coordinator):
    held = meeting(-3, title="Bygdemöte i Storebro", status="held")
    services.proposal_set_raised_at(proposal=proposal, by=coordinator, raised_at=held)
    proposal.refresh_from_db()
    assert proposal.raised_at == held
    event = AuditEvent.objects.get()
    assert event.verb == "proposal.raised_at_meeting"
    assert event.actor == coordinator
    assert event.object_id == proposal.pk
    assert event.locality_id == proposal.locality_id
    assert event.summary == _summary(sv("no meeting"), str(held))

    services.proposal_set_raised_at(proposal=proposal, by=coordinator, raised_at=None)
    proposal.refresh_from_db()
    assert proposal.raised_at is None
    cleared = AuditEvent.objects.latest("id")
    assert cleared.summary == _summary(str(held), sv("no meeting"))


def _summary(old, new) -> str:
    text = sv("Changed the meeting where the proposal was raised from “%(old)s” to “%(new)s”.")
    return text % {"old": old, "new": new}


def test_the_same_meeting_again_changes_nothing(proposal, coordinator):
    held = meeting(-3, status="held")
    services.proposal_set_raised_at(proposal=proposal, by=coordinator, raised_at=held)
    # Even after the meeting was cancelled: it was set while it stood.
    DialogueMeeting.objects.filter(pk=held.pk).update(status="cancelled")
    before = everything()
    services.proposal_set_raised_at(proposal=proposal, by=coordinator, raised_at=held)
    assert everything() == before


@pytest.mark.parametrize(
    "make",
    [
        lambda: meeting(-3, "sodra-vi", status="held"),
        lambda: meeting(-3, status="draft"),
        lambda: meeting(-3, status="cancelled"),
    ],
    ids=["another ort's meeting", "a draft", "a cancelled meeting"],
)
def test_the_coordinators_choice_is_checked_as_the_authors(proposal, coordinator, make):
    before = everything()
    with pytest.raises(services.ProposalError):
        services.proposal_set_raised_at(proposal=proposal, by=coordinator, raised_at=make())
    assert everything() == before


def test_a_coordinator_may_name_a_meeting_long_after_the_proposal(proposal, coordinator):
    later = meeting(-1, status="held")
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=300)
    )
    services.proposal_set_raised_at(proposal=proposal, by=coordinator, raised_at=later)
    assert Proposal.objects.get(pk=proposal.pk).raised_at == later


# -- the proposal's page -------------------------------------------------------------


def test_the_proposal_page_names_the_meeting_with_a_link(client, author):
    held = meeting(-3, title="Bygdemöte om vägen", status="held")
    proposal = make_proposal(author, raised_at=held)
    response = client.get(f"/forslag/{proposal.pk}/")
    content = response.content.decode()
    assert_valid_html(response.content)
    link = f'<a href="/moten/{held.pk}/">Bygdemöte om vägen</a>, {long_date(held)}'
    assert f"{sv_context('a meeting', 'Raised at')}: {link}" in content


def sv_context(context: str, text: str) -> str:
    with translation.override("sv"):
        return translation.pgettext(context, text)


def test_a_cancelled_meeting_is_still_named(client, author):
    held = meeting(-3, title="Bygdemöte om vägen")
    proposal = make_proposal(author, raised_at=held)
    DialogueMeeting.objects.filter(pk=held.pk).update(status="cancelled")
    assert f'href="/moten/{held.pk}/"' in client.get(f"/forslag/{proposal.pk}/").content.decode()


def test_a_meeting_made_a_draft_again_is_not_named(client, author):
    held = meeting(-3, title="Bygdemöte om vägen")
    proposal = make_proposal(author, raised_at=held)
    DialogueMeeting.objects.filter(pk=held.pk).update(status="draft")
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert "Bygdemöte om vägen" not in content and f"/moten/{held.pk}/" not in content


def test_a_proposal_without_a_meeting_names_none(client, proposal):
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    main = content.split("<main", 1)[1].split('id="history-heading"')[0]
    assert not re.search(r'href="/moten/\d+/"', main)


def test_the_coordinators_form_lists_the_orts_meetings_and_shows_the_one_set(
    client, proposal, coordinator
):
    held = meeting(-3, title="Bygdemöte i Storebro", status="held")
    cancelled = meeting(-2, title="Inställt möte", status="cancelled")
    other_ort = meeting(-3, "tuna", title="Möte i Tuna", status="held")
    draft = meeting(2, title="Utkast", status="draft")
    Proposal.objects.filter(pk=proposal.pk).update(raised_at=cancelled)
    client.force_login(coordinator)
    response = client.get(f"/forslag/{proposal.pk}/")
    content = response.content.decode()
    assert_valid_html(response.content)
    form = content.split(f'action="/forslag/{proposal.pk}/mote/"')[1].split("</form>")[0]
    assert f'<option value="{held.pk}">Bygdemöte i Storebro, {long_date(held)}</option>' in form
    # The one set is shown as chosen, whatever has become of it since.
    assert f'<option value="{cancelled.pk}" selected>' in form
    assert other_ort.title not in form and draft.title not in form


def test_the_coordinators_form_is_left_out_where_the_group_has_no_meetings(
    client, proposal, coordinator
):
    meeting(-3, "tuna", status="held")
    client.force_login(coordinator)
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert f"/forslag/{proposal.pk}/mote/" not in content


def test_a_coordinator_sets_the_meeting_from_the_proposal_page(client, proposal, coordinator):
    held = meeting(-3, status="held")
    client.force_login(coordinator)
    response = client.post(f"/forslag/{proposal.pk}/mote/", {"raised_at": held.pk}, follow=True)
    assert response.redirect_chain == [(f"/forslag/{proposal.pk}/", 302)]
    content = response.content.decode()
    assert shown("The proposal is now marked as raised at the meeting.") in content
    assert f'<a href="/moten/{held.pk}/">' in content
    response = client.post(f"/forslag/{proposal.pk}/mote/", {"raised_at": ""}, follow=True)
    assert shown("The proposal is no longer marked as raised at a meeting.") in (
        response.content.decode()
    )
    assert Proposal.objects.get(pk=proposal.pk).raised_at is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: meeting(-3, "tuna", status="held"),
            "Choose a meeting of the local development group in the proposal's ort.",
        ),
        (
            lambda: meeting(2, status="draft"),
            "You can only choose a meeting that is published or has been held.",
        ),
        (lambda: 987654, "Choose one of the meetings in the list."),
    ],
    ids=["another ort's meeting", "a draft", "no such meeting"],
)
def test_a_coordinators_bad_meeting_is_refused_on_the_page(
    client, proposal, coordinator, make, message
):
    meeting(-5, status="held")  # so the form is there to show the error in
    value = make()
    client.force_login(coordinator)
    before = everything()
    response = client.post(
        f"/forslag/{proposal.pk}/mote/",
        {"raised_at": value.pk if isinstance(value, DialogueMeeting) else value},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert shown(message) in content
    assert shown("Nothing was changed: see the meeting form below.") in content
    assert everything() == before


# -- the meeting's page: attach() --------------------------------------------------


def test_attach_gives_each_meeting_its_listed_proposals_oldest_first_in_one_query(
    author, django_assert_num_queries
):
    first, second, none = meeting(-9), meeting(-5), meeting(-1)
    older = make_proposal(author, title="Äldre", raised_at=first)
    newer = make_proposal(author, title="Nyare", raised_at=first)
    Proposal.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    hidden = make_proposal(author, title="Dold", raised_at=first)
    Proposal.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    at_second = make_proposal(author, title="Vid andra", raised_at=second)
    make_proposal(author, title="Utan möte")
    meetings = list(DialogueMeeting.objects.filter(pk__in=[first.pk, second.pk, none.pk]))
    with django_assert_num_queries(1):
        meeting_links.attach(meetings)
        by_pk = {m.pk: m for m in meetings}
        assert by_pk[first.pk].raised_proposals == [older, newer]
        assert by_pk[second.pk].raised_proposals == [at_second]
        assert by_pk[none.pk].raised_proposals == []
        # What a link with its status needs is read with them.
        assert [(p.title, p.status) for p in by_pk[first.pk].raised_proposals] == [
            ("Äldre", "submitted"),
            ("Nyare", "submitted"),
        ]


def test_attach_costs_one_query_for_many_meetings_and_none_for_no_meetings(
    author, django_assert_num_queries
):
    storebro = Locality.objects.get(slug="storebro")
    meetings = [meeting(-k) for k in range(1, 41)]
    Proposal.objects.bulk_create(
        Proposal(
            locality=storebro, author=author, title=f"Förslag {m.pk}-{n}", body="Text", raised_at=m
        )
        for m in meetings
        for n in range(3)
    )
    fresh = list(DialogueMeeting.objects.all())
    with django_assert_num_queries(1):
        meeting_links.attach(fresh)
    assert sum(len(m.raised_proposals) for m in fresh) == 120
    with django_assert_num_queries(0):
        meeting_links.attach([])


# -- a refused choice, as every refused form of the portal ---------------------------


def test_a_refused_meeting_keeps_what_was_typed_with_the_error_at_the_field(client, resident):
    other_ort = meeting(-3, "tuna", status="held")
    client.force_login(resident)
    before = db_state()
    page = Page(propose(client, other_ort))
    assert db_state() == before
    assert page.value("id_title") == "Fler bänkar vid sjön"
    assert page.value("id_raised_at") == str(other_ort.pk)
    assert sv("Choose a meeting of the local development group in the proposal's ort.") in (
        page.error_of("id_raised_at")
    )


def test_a_coordinators_refused_meeting_is_kept_with_the_error_at_the_field(
    client, proposal, coordinator
):
    meeting(-5, status="held")
    draft = meeting(1, status="draft")
    client.force_login(coordinator)
    before = db_state()
    page = Page(client.post(f"/forslag/{proposal.pk}/mote/", {"raised_at": draft.pk}))
    assert db_state() == before
    assert sv("You can only choose a meeting that is published or has been held.") in (
        page.error_of("id_raised_at")
    )


# The refused-forms walk (tests/test_refused_forms.py) names this test for RaisedAtForm.
REFUSED_FORM_TEST = test_a_coordinators_refused_meeting_is_kept_with_the_error_at_the_field

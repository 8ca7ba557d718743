"""Who may set or clear the meeting where a proposal was raised, for every persona, and
what the pages with meetings cost in queries as the data grows."""

import datetime

import pytest
from django.utils import timezone

from allas.models import AuditEvent, Locality
from groups.models import DialogueMeeting
from proposals.models import Proposal
from tests.dialogue_factories import dialogue_meeting
from tests.factories import UserFactory
from tests.personas import NO_SECOND_FACTOR_PERSONAS
from tests.proposals.conftest import make_proposal, snapshot
from tests.proposals.test_raised_at_meeting import group, meeting

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "resident",
    "member",
    "author",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]
ALLOWED = {"coordinator", "staff"}


def everything():
    return (
        snapshot(),
        sorted(Proposal.objects.values_list("id", "raised_at_id")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def held(db):
    return meeting(-3, status="held")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("change", ["set", "clear"])
def test_only_the_orts_coordinators_and_staff_set_or_clear_the_meeting(
    as_persona, proposal, held, change, persona
):
    if change == "clear":
        Proposal.objects.filter(pk=proposal.pk).update(raised_at=held)
    client = as_persona(persona)
    before = everything()
    response = client.post(
        f"/forslag/{proposal.pk}/mote/", {"raised_at": held.pk if change == "set" else ""}
    )
    raised_at_id = Proposal.objects.get(pk=proposal.pk).raised_at_id
    if persona == "visitor":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif persona in ALLOWED:
        assert response.status_code == 302
        assert response["Location"] == f"/forslag/{proposal.pk}/"
        assert raised_at_id == (held.pk if change == "set" else None)
        assert AuditEvent.objects.filter(verb="proposal.raised_at_meeting").count() == 1
        return
    else:
        assert response.status_code == 403
    assert everything() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_form_is_shown_to_the_orts_coordinators_and_staff_only(
    as_persona, proposal, held, persona
):
    content = as_persona(persona).get(f"/forslag/{proposal.pk}/").content.decode()
    assert (f'action="/forslag/{proposal.pk}/mote/"' in content) == (persona in ALLOWED)


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_the_page_is_only_posted_to(as_persona, proposal, persona):
    assert as_persona(persona).get(f"/forslag/{proposal.pk}/mote/").status_code == 405


def test_a_removed_proposal_is_404_to_the_public_whatever_is_posted(client, proposal, held):
    Proposal.objects.filter(pk=proposal.pk).update(visibility="removed")
    client.force_login(UserFactory())
    before = everything()
    response = client.post(f"/forslag/{proposal.pk}/mote/", {"raised_at": held.pk})
    assert response.status_code == 404
    assert everything() == before


# -- query budgets -----------------------------------------------------------------


def grow_meetings(n):
    """n public meetings over the ten orter, spread over the window the form offers and
    beyond it, each with a proposal raised at it."""
    groups = [group(slug) for slug in Locality.objects.values_list("slug", flat=True)]
    author = UserFactory()
    made = []
    for i in range(n):
        days = -70 + (i * 7) % 90  # from before the window to after it
        status = "held" if days < 0 else "published"
        made.append(meeting(days, groups[i % 10].locality.slug, status=status))
    Proposal.objects.bulk_create(
        Proposal(
            locality=m.group.locality, author=author, title=f"Förslag {m.pk}", body="x", raised_at=m
        )
        for m in made
    )
    return made


# The new proposal form: session, user, verified address, the orter, the areas, and the
# offered meetings with their groups and orter (6). The proposal's page as in
# tests/proposals/test_finding.py, its meeting read with the proposal: for a visitor the
# proposal, comments, areas, history (4); for coordinators and staff the plan's actions
# and the ort's meetings besides. The lists read no meeting at all.
@pytest.mark.parametrize(
    ("persona", "path", "budget"),
    [
        ("resident", "/forslag/nytt/", 6),
        ("visitor", "/forslag/{p}/", 4),
        ("resident", "/forslag/{p}/", 10),
        ("coordinator", "/forslag/{p}/", 12),
        ("staff", "/forslag/{p}/", 11),
        ("visitor", "/forslag/", 5),
        ("resident", "/forslag/", 7),
    ],
)
def test_pages_with_meetings_cost_the_same_queries_for_few_and_many(
    client, request, django_assert_max_num_queries, author, persona, path, budget
):
    if persona != "visitor":
        client.force_login(request.getfixturevalue(persona))
    first = meeting(-2, status="held")
    proposal = make_proposal(author, raised_at=first)
    path = path.format(p=proposal.pk)
    grow_meetings(5)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
    grow_meetings(150)
    assert DialogueMeeting.objects.count() > 150
    with django_assert_max_num_queries(budget):
        response = client.get(path)
    assert response.status_code == 200
    if path == "/forslag/nytt/":
        assert response.content.decode().count("<option value=") > 60


def test_a_meeting_of_the_form_window_is_offered_at_its_edges(resident_client):
    now = timezone.now()
    inside = [
        dialogue_meeting(group(), starts_at=now - datetime.timedelta(days=59, hours=23)),
        dialogue_meeting(group(), starts_at=now + datetime.timedelta(days=13, hours=23)),
    ]
    outside = [
        dialogue_meeting(group(), starts_at=now - datetime.timedelta(days=60, hours=1)),
        dialogue_meeting(group(), starts_at=now + datetime.timedelta(days=14, hours=1)),
    ]
    content = resident_client.get("/forslag/nytt/").content.decode()
    for m in inside:
        assert f'value="{m.pk}"' in content
    for m in outside:
        assert f'value="{m.pk}"' not in content

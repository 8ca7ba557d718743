"""Every proposals view and action, for every persona; refused writes change nothing."""

import pytest

from proposals import services
from proposals.models import Comment
from tests.personas import NO_SECOND_FACTOR_PERSONAS
from tests.proposals.conftest import snapshot

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "unverified",
    "resident",
    "author",
    "supporter",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]


@pytest.fixture
def comment(proposal, supporter):
    return services.comment_create(proposal=proposal, author=supporter, body="Bra idé!")


READ_PAGES = {
    "list": ("/forslag/", {p: 200 for p in PERSONAS}),
    "detail": ("/forslag/{p}/", {p: 200 for p in PERSONAS}),
    "rules": ("/forslag/regler/", {p: 200 for p in PERSONAS}),
    "feed": ("/forslag/atom/", {p: 200 for p in PERSONAS}),
    "new": (
        "/forslag/nytt/",
        {**{p: 200 for p in PERSONAS}, "visitor": "login", "unverified": 403},
    ),
    "edit": (
        "/forslag/{p}/redigera/",
        {**{p: 403 for p in PERSONAS}, "visitor": "login", "author": 200},
    ),
    "report": ("/forslag/{p}/anmal/", {**{p: 200 for p in PERSONAS}, "visitor": "login"}),
    "to_answer": (
        "/forslag/att-besvara/",
        {
            **{p: 403 for p in PERSONAS},
            "visitor": "login",
            "coordinator": 200,
            "other_coordinator": 200,  # for their own ort
            "staff": 200,
        },
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", READ_PAGES)
def test_read_matrix(as_persona, proposal, page, persona):
    path, expected = READ_PAGES[page]
    response = as_persona(persona).get(path.format(p=proposal.pk))
    if expected[persona] == "login":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    else:
        assert response.status_code == expected[persona]


def writes(proposal, comment):
    p, c = proposal.pk, comment.pk
    return {
        "edit": (f"/forslag/{p}/redigera/", {"title": "Nytt", "body": "Ny text"}),
        "withdraw": (f"/forslag/{p}/aterkalla/", {}),
        "status": (f"/forslag/{p}/status/", {"status": "under_review", "answer": ""}),
        "support": (f"/forslag/{p}/stod/", {}),
        "comment": (f"/forslag/{p}/kommentera/", {"body": "Jag håller med"}),
        "comment_edit": (f"/forslag/kommentar/{c}/redigera/", {"body": "Ändrad"}),
        "comment_delete": (f"/forslag/kommentar/{c}/ta-bort/", {}),
        "moderate": (f"/forslag/{p}/moderera/", {"decision": "remove", "reason": "Regelbrott"}),
        "comment_moderate": (
            f"/forslag/kommentar/{c}/moderera/",
            {"decision": "remove", "reason": "Regelbrott"},
        ),
        "report": (f"/forslag/{p}/anmal/", {"reason": "spam"}),
    }


# Who may do each write. Everyone else is refused and nothing changes. Staff without the
# second factor keep what every resident may do, and no more.
RESIDENTS = {"resident", "coordinator", "other_coordinator", "staff", *NO_SECOND_FACTOR_PERSONAS}
ALLOWED = {
    "edit": {"author"},
    "withdraw": {"author"},
    "status": {"coordinator", "staff"},
    "support": {"supporter", *RESIDENTS},
    "comment": {"author", "supporter", *RESIDENTS},
    "comment_edit": {"supporter"},
    "comment_delete": {"supporter"},
    "moderate": {"coordinator", "staff"},
    "comment_moderate": {"coordinator", "staff"},
    "report": {"unverified", "supporter", *RESIDENTS},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ALLOWED)
def test_write_matrix(as_persona, proposal, comment, action, persona):
    client = as_persona(persona)
    path, data = writes(proposal, comment)[action]
    before = snapshot()
    response = client.post(path, data)
    if persona == "visitor":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
        assert snapshot() == before
    elif persona in ALLOWED[action]:
        assert response.status_code == 302, response.content[:500]
        assert snapshot() != before, f"{persona} could not {action}"
    else:
        assert response.status_code in (302, 403), response.status_code
        assert snapshot() == before, f"{persona} changed something with {action}"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("author", 200),
        ("coordinator", 200),
        ("staff", 200),
        ("other_coordinator", 404),
        ("staff_without_second_factor", 404),
        ("staff_session_without_second_factor", 404),
    ],
)
def test_a_hidden_proposal_is_404_for_the_public_but_shown_to_author_and_moderators(
    client, as_persona, proposal, persona, status
):
    proposal.visibility = "hidden"
    proposal.save()
    assert client.get(f"/forslag/{proposal.pk}/").status_code == 404
    assert as_persona(persona).get(f"/forslag/{proposal.pk}/").status_code == status
    client.logout()
    assert proposal.title not in client.get("/forslag/").content.decode()


def test_a_comment_of_a_proposal_the_user_cannot_see_is_404(client, proposal, supporter):
    comment = Comment.objects.create(proposal=proposal, author=supporter, body="x")
    proposal.visibility = "removed"
    proposal.save()
    client.force_login(supporter)
    assert client.get(f"/forslag/kommentar/{comment.pk}/anmal/").status_code == 404

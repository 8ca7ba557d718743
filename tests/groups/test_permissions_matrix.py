"""Every view of the groups app, for every persona: the status code, and for a refused
write, proof that nothing changed."""

import pytest

from allas.models import OutboundEmail
from groups.models import DevelopmentGroup, Membership, MembershipEvent
from tests.factories import membership
from tests.personas import NO_SECOND_FACTOR_PERSONAS

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "unverified",
    "resident",
    "applicant",
    "member",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]


def state():
    """Everything a groups write could touch."""
    return (
        sorted(
            Membership.objects.values_list(
                "id", "status", "role", "sector", "age_band", "is_delegate"
            )
        ),
        sorted(
            DevelopmentGroup.objects.values_list(
                "id", "description", "meeting_info", "contact_email"
            )
        ),
        MembershipEvent.objects.count(),
        OutboundEmail.objects.count(),
    )


@pytest.fixture
def target(db):
    """A pending request and an active member in Storebro's group, acted on by the views."""
    return {
        "pending": membership(status="pending", sector="politician"),
        "active": membership(sector="business"),
    }


def url(name, target):
    slug = "storebro"
    return {
        "join": f"/orter/{slug}/bli-medlem/",
        "leave": f"/orter/{slug}/lamna-gruppen/",
        "manage": f"/orter/{slug}/grupp/",
        "edit": f"/orter/{slug}/grupp/redigera/",
        "csv": f"/orter/{slug}/grupp/medlemmar.csv",
        "decide": f"/orter/{slug}/grupp/ansokan/{target['pending'].pk}/",
        "member": f"/orter/{slug}/grupp/medlem/{target['active'].pk}/",
        "remove": f"/orter/{slug}/grupp/medlem/{target['active'].pk}/ta-bort/",
    }[name]


LOGIN = "login"  # a redirect to the login page

# Reading pages: persona -> expected status (LOGIN: sent to log in).
GET_MATRIX = {
    "manage": {
        "visitor": LOGIN,
        "unverified": 403,
        "resident": 403,
        "applicant": 403,
        "member": 403,
        "coordinator": 200,
        "other_coordinator": 403,
        "staff": 200,
        **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, 403),
    },
    "edit": {
        "visitor": LOGIN,
        "unverified": 403,
        "resident": 403,
        "applicant": 403,
        "member": 403,
        "coordinator": 200,
        "other_coordinator": 403,
        "staff": 200,
        **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, 403),
    },
    "csv": {
        "visitor": LOGIN,
        "unverified": 403,
        "resident": 403,
        "applicant": 403,
        "member": 403,
        "coordinator": 200,
        "other_coordinator": 403,
        "staff": 200,
        **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, 403),
    },
    "member": {
        "visitor": LOGIN,
        "unverified": 403,
        "resident": 403,
        "applicant": 403,
        "member": 403,
        "coordinator": 200,
        "other_coordinator": 403,
        "staff": 200,
        **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, 403),
    },
    # Applicants and members are sent back to the ort page with a message.
    "join": {
        "visitor": LOGIN,
        "unverified": 403,
        "resident": 200,
        "applicant": 302,
        "member": 302,
        "coordinator": 302,
        "other_coordinator": 200,
        "staff": 200,
        # A resident's right: they may ask to join like anyone with a verified address.
        **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, 200),
    },
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", GET_MATRIX)
def test_get_matrix(as_persona, target, view, persona):
    client = as_persona(persona)
    response = client.get(url(view, target))
    expected = GET_MATRIX[view][persona]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/?next=")
    else:
        assert response.status_code == expected


# Writes allowed only to the group's coordinators and staff.
MANAGER_POSTS = {
    "decide": {"decision": "approve", "message": ""},
    "member": {"sector": "resident", "age_band": "65_plus", "role": "member", "is_delegate": "on"},
    "remove": {},
    "edit": {
        "description": "Ny text",
        "meeting_info": "Tisdagar",
        "contact_email": "grupp@example.se",
    },
}


@pytest.mark.parametrize(
    "persona",
    [
        "visitor",
        "unverified",
        "resident",
        "applicant",
        "member",
        "other_coordinator",
        *NO_SECOND_FACTOR_PERSONAS,
    ],
)
@pytest.mark.parametrize("view", MANAGER_POSTS)
def test_a_refused_manager_write_changes_nothing(as_persona, target, view, persona):
    client = as_persona(persona)
    before = state()
    response = client.post(url(view, target), MANAGER_POSTS[view])
    if persona == "visitor":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
@pytest.mark.parametrize("view", MANAGER_POSTS)
def test_coordinators_and_staff_may_write(as_persona, target, view, persona):
    client = as_persona(persona)
    before = state()
    response = client.post(url(view, target), MANAGER_POSTS[view])
    assert response.status_code == 302
    assert response["Location"] == "/orter/storebro/grupp/"
    assert state() != before
    assert MembershipEvent.objects.filter(actor__isnull=False).exists()


@pytest.mark.parametrize(
    ("persona", "creates"),
    [
        ("visitor", False),
        ("unverified", False),
        ("resident", True),
        ("applicant", False),
        ("member", False),
        ("coordinator", False),
        ("other_coordinator", True),
        ("staff", True),
        ("staff_without_second_factor", True),
        ("staff_session_without_second_factor", True),
    ],
)
def test_join_post_matrix(as_persona, target, persona, creates):
    client = as_persona(persona)
    before = state()
    response = client.post(url("join", target), {"sector": "resident", "age_band": "18_29"})
    if creates:
        assert response.status_code == 302
        assert Membership.objects.pending().filter(user__display_name__isnull=False).count() == 2
    else:
        assert response.status_code in (302, 403)
        assert state() == before


@pytest.mark.parametrize(
    ("persona", "leaves"),
    [
        ("visitor", False),
        ("resident", False),
        ("applicant", False),
        ("member", True),
        ("other_coordinator", False),
        ("staff", False),
        ("staff_without_second_factor", False),
        ("staff_session_without_second_factor", False),
    ],
)
def test_leave_post_matrix(as_persona, target, persona, leaves, request):
    client = as_persona(persona)
    before = state()
    response = client.post(url("leave", target))
    assert response.status_code == 302
    if leaves:
        user = request.getfixturevalue(persona)
        assert Membership.objects.get(user=user).status == "left"
    else:
        assert state() == before


def test_the_only_coordinator_cannot_leave(as_persona, target):
    client = as_persona("coordinator")
    before = state()
    response = client.post(url("leave", target), follow=True)
    assert "enda samordnare" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("path", ["/orter/finns-inte/bli-medlem/", "/orter/finns-inte/grupp/"])
def test_an_unknown_ort_is_404(staff_client, path):
    assert staff_client.get(path).status_code == 404

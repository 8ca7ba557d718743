"""The people the permission matrices try every page as: how each is made and signed in.

Each persona is a fixture of the same name (loaded for every test by tests/conftest.py);
`as_persona("member")` signs the test client in as one and returns it. A matrix lists the
personas it tries, and a test asks for anyone else it needs (a proposal's author, say) as
a fixture of its own.
"""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory, give_second_factor, membership

# Staff of the department in a session that has not passed a second factor: every persona
# matrix shows each staff right refused to them, as to anyone signed in without rights.
NO_SECOND_FACTOR_PERSONAS = ["staff_without_second_factor", "staff_session_without_second_factor"]


def log_in_persona(client, request, persona):
    """Logs in the persona's fixture and returns the user ("visitor" stays logged out, None).
    The session of "staff_session_without_second_factor" stops at the password."""
    if persona == "visitor":
        return None
    user = request.getfixturevalue(persona)
    client.force_login(user, second_factor=persona != "staff_session_without_second_factor")
    return user


@pytest.fixture
def as_persona(client, request):
    """Signs the test client in as the named persona and returns the client."""

    def login(persona):
        log_in_persona(client, request, persona)
        return client

    return login


@pytest.fixture
def visitor(client):
    return client


@pytest.fixture
def resident(db):
    return UserFactory()


@pytest.fixture
def unverified(db):
    return UserFactory(verified=False)


@pytest.fixture
def staff(db):
    user = _staff_account(display_name="Utvecklingsavdelningen")
    give_second_factor(user)
    return user


def _staff_account(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Utvecklingsavdelningen"))
    return user


@pytest.fixture
def staff_without_second_factor(db):
    """Staff of the department with a password only, as a new colleague is before setting
    up the second factor: no staff right anywhere, only a resident's."""
    return _staff_account(display_name="Handläggare Utan Kod")


@pytest.fixture
def staff_session_without_second_factor(db):
    """Staff of the department with an app, whose session stopped at the password (it
    began before the app was set up): no staff right in it. Personas log it in with
    `force_login(user, second_factor=False)` (log_in_persona)."""
    user = _staff_account(display_name="Handläggare Utan Steg")
    give_second_factor(user)
    return user


def _in_group(display_name, **how):
    """A person with a membership of a group (Storebro's unless `slug` says otherwise)."""
    user = UserFactory(display_name=display_name)
    membership(user, **how)
    return user


@pytest.fixture
def applicant(db):
    """Has asked to join Storebro's group and waits for a decision."""
    return _in_group("Sökande Svensson", status="pending", sector="business")


@pytest.fixture
def member(db):
    return _in_group("Medlem Karlsson", sector="associations", age_band="30_49")


@pytest.fixture
def coordinator(db):
    how = {"role": "coordinator", "sector": "rural_council", "age_band": "50_64"}
    return _in_group("Samordnare Berg", **how)


@pytest.fixture
def other_coordinator(db):
    """Coordinator of Södra Vi's group: no rights in Storebro's."""
    return _in_group("Samordnare Vik", slug="sodra-vi", role="coordinator")

import pytest

from tests.factories import Client, UserFactory, give_second_factor, membership


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate limits count in the cache; each test starts from zero.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def client():
    """pytest-django's test client, whose `force_login` passes the account's second factor
    as the real login does (tests.factories.Client)."""
    return Client()


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
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, display_name="Utvecklingsavdelningen")
    user.groups.add(Group.objects.get(name="Utvecklingsavdelningen"))
    give_second_factor(user)
    return user


def _staff_account(**fields):
    from django.contrib.auth.models import Group

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
    `force_login(user, second_factor=False)` (tests.factories.log_in_persona)."""
    user = _staff_account(display_name="Handläggare Utan Steg")
    give_second_factor(user)
    return user


@pytest.fixture
def applicant(db):
    """Has asked to join Storebro's group and waits for a decision."""
    user = UserFactory(display_name="Sökande Svensson")
    membership(user, status="pending", sector="business")
    return user


@pytest.fixture
def member(db):
    user = UserFactory(display_name="Medlem Karlsson")
    membership(user, sector="associations", age_band="30_49")
    return user


@pytest.fixture
def coordinator(db):
    user = UserFactory(display_name="Samordnare Berg")
    membership(user, role="coordinator", sector="rural_council", age_band="50_64")
    return user


@pytest.fixture
def other_coordinator(db):
    """Coordinator of Södra Vi's group: no rights in Storebro's."""
    user = UserFactory(display_name="Samordnare Vik")
    membership(user, slug="sodra-vi", role="coordinator")
    return user


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def pytest_collection_modifyitems(items):
    """Transactional tests (live server, real worker) empty the tables when they end; with
    serialized rollback the reference data from the migrations is put back for the next.
    pytest-django reads the flag from the django_db marker when there is one, and from
    the fixture otherwise, so both are set."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        by_marker = marker is not None and marker.kwargs.get("transaction")
        if by_marker and not marker.kwargs.get("serialized_rollback"):
            rollback = pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True})
            item.add_marker(rollback, append=False)
        elif (
            not by_marker
            and ("live_server" in item.fixturenames or "transactional_db" in item.fixturenames)
            and "django_db_serialized_rollback" not in item.fixturenames
        ):
            item.fixturenames.append("django_db_serialized_rollback")

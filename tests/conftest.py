import pytest

from tests.factories import Client

# The personas (visitor, resident, member, coordinator, staff, ...) and `as_persona`.
pytest_plugins = ["tests.personas"]


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

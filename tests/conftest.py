import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate limits count in the cache; each test starts from zero.
    from django.core.cache import cache

    cache.clear()


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
    user.groups.add(Group.objects.get_or_create(name="Utvecklingsavdelningen")[0])
    return user


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client

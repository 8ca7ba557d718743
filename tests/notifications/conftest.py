import pytest

from allas.models import Locality
from notifications import follows, preferences
from notifications.models import Delivery
from proposals import services as proposal_services
from tests.factories import UserFactory
from tests.words import Kind


@pytest.fixture
def follower(db):
    """Follows Storebro, hears of new proposals at once and of the rest in the digest."""
    user = UserFactory(display_name="Följare Falk")
    follows.follow_toggle(user=user, locality=Locality.objects.get(slug="storebro"))
    preferences.settings_save(user=user, choices={Kind.NEW_PROPOSALS: Delivery.DIRECT})
    return user


@pytest.fixture
def author(db):
    return UserFactory(display_name="Förslags Ställare")


def propose(author, slug="storebro", title="Belysning längs cykelvägen", body="Det är mörkt."):
    return proposal_services.proposal_create(
        author=author, locality=Locality.objects.get(slug=slug), title=title, body=body
    )


def sent_to(user, kind=None):
    from allas.models import OutboundEmail

    rows = OutboundEmail.objects.filter(to=user.email, kind__startswith="notifications.")
    if kind:
        rows = rows.filter(kind=f"notifications.{kind}")
    return list(rows.order_by("id"))

import pytest

from allas.models import Locality
from proposals import services
from proposals.models import Proposal
from tests.factories import UserFactory


@pytest.fixture
def author(db):
    return UserFactory(display_name="Förslags Ställare")


@pytest.fixture
def supporter(db):
    return UserFactory(display_name="Stöd Stödjare")


def make_proposal(author, slug="storebro", title="Belysning längs cykelvägen", **kwargs):
    return services.proposal_create(
        author=author,
        locality=Locality.objects.get(slug=slug),
        title=title,
        body=kwargs.pop("body", "Det är mörkt på kvällarna.\nSe https://vimmerby.se"),
        **kwargs,
    )


@pytest.fixture
def proposal(author, supporter, coordinator):
    """A submitted proposal in Storebro with one supporter (and Storebro's coordinator)."""
    proposal = make_proposal(author)
    services.support_toggle(proposal=proposal, user=supporter)
    proposal.refresh_from_db()
    return proposal


def snapshot():
    """Everything a proposals write could touch."""
    from allas.models import OutboundEmail
    from proposals.models import Comment, ModerationDecision, Report, StatusChange, Support

    return (
        sorted(
            Proposal.objects.values_list(
                "id",
                "title",
                "body",
                "status",
                "visibility",
                "support_count",
                "comment_count",
                "action_id",
            )
        ),
        sorted(Comment.objects.values_list("id", "body", "is_deleted", "visibility")),
        Support.objects.count(),
        StatusChange.objects.count(),
        Report.objects.count(),
        ModerationDecision.objects.count(),
        OutboundEmail.objects.count(),
    )

import factory
from allauth.account.models import EmailAddress

from allas.models import AgeBand, Locality, User

PASSWORD = "Ett-bra-losenord-2026"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    age_band = AgeBand.NOT_STATED
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Residents have a verified e-mail address unless made with verified=False."""
        if not create:
            return
        self.save()
        EmailAddress.objects.create(
            user=self, email=self.email, primary=True, verified=extracted is not False
        )


def locality(slug: str = "storebro") -> Locality:
    return Locality.objects.get(slug=slug)


def membership(user=None, slug="storebro", **fields):
    """A membership of the ort's group; active members unless told otherwise."""
    from django.utils import timezone

    from groups.models import DevelopmentGroup, Membership

    fields.setdefault("status", Membership.Status.ACTIVE)
    fields.setdefault("sector", "resident")
    if fields["status"] == Membership.Status.ACTIVE:
        fields.setdefault("joined_at", timezone.now())
    return Membership.objects.create(
        user=user or UserFactory(),
        group=DevelopmentGroup.objects.get(locality__slug=slug),
        **fields,
    )

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


def give_second_factor(user) -> str:
    """Gives an account a TOTP authenticator and recovery codes, as a staff member has after
    setting them up (the admin opens only with a second factor). Returns the secret."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str, *, periods_ahead: int = 0) -> str:
    """The code an authenticator app shows now for this secret (or a later period's)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD + periods_ahead
    return format_hotp_value(hotp_value(secret, counter))


def totp_code_for(user) -> str:
    """The current code of the account's own TOTP authenticator, read from the database."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_code(decrypt(authenticator.data["secret"]))

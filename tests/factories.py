import hashlib
import os

import django.test
import factory
from allauth.account.models import EmailAddress
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

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


def prove_second_factor(request, user) -> bool:
    """Writes into the session what allauth writes when the account's owner logs in with the
    password and then the code of their app (or their passkey). False, writing nothing, for
    an account without an app or passkey: its login ends with the password."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    authenticator = (
        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        )
        .order_by("pk")
        .first()
    )
    if authenticator is None:
        return False
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    return True


class Client(django.test.Client):
    """The test client, whose `force_login` signs in as the real login does: an account with
    an app or a passkey has passed it too (staff need that for every right). Django's own
    never records a second factor; `second_factor=False` signs in as a session that stopped
    at the password (one from before the account had a second factor)."""

    def force_login(self, user, backend=None, *, second_factor=True):
        super().force_login(user, backend)
        if second_factor:
            from django.http import HttpRequest

            request = HttpRequest()
            request.session = self.session
            if prove_second_factor(request, user):
                request.session.save()


def signed_in(user, *, second_factor=True):
    """The user as a page sees them after `Client.force_login`: loaded by the login backend,
    carrying what the session has proved (allas.middleware). For the rules' own tests."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import login
    from django.http import HttpRequest

    from allas.middleware import SessionSecondFactorMiddleware

    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    if second_factor:
        prove_second_factor(request, user)
    SessionSecondFactorMiddleware(lambda request: None)(request)
    return request.user


def registration_response(challenge: bytes, rp_id: str = "testserver") -> dict:
    """A passkey's answer to a page's challenge, as the browser's webauthn-json sends it:
    a real key and attestation, made here instead of by a security key."""
    key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    credential_id = os.urandom(32)
    credential = AttestedCredentialData.create(b"\0" * 16, credential_id, key)
    flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
    auth_data = AuthenticatorData.create(
        hashlib.sha256(rp_id.encode()).digest(), flags, 0, credential
    )
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=challenge, origin=f"http://{rp_id}"
    )
    return {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(bytes(client_data)),
            "attestationObject": websafe_encode(
                bytes(AttestationObject.create("none", auth_data, {}))
            ),
        },
        "clientExtensionResults": {},
    }


def empty_plan(slug: str = "storebro", *, year: int):
    """A draft development plan of an ort's group with no needs, areas or actions, made
    by no one (as a data migration or the demo would)."""
    from groups.models import DevelopmentGroup
    from groups.plans import services as plan_services

    return plan_services.plan_create(
        group=DevelopmentGroup.objects.get(locality__slug=slug),
        year=year,
        needs="",
        goals=[],
        copy_unfinished=False,
        by=None,
    )

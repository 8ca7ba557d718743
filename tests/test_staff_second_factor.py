"""Every staff right needs a session that has passed the account's second factor: a password
alone opens no member list, draft plan, follow-up, booklet, proposal queue or moderation,
for superusers neither; removing the last app or passkey ends the rights in every open
session; whoever sets one up has just proved it. Whom to tell is a question about accounts,
not sessions, and keeps its answer for tasks and commands."""

import json
import os

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse
from fido2.utils import websafe_decode

from allas import permissions as core
from allas.middleware import SessionSecondFactorMiddleware, needs_second_factor
from groups import permissions as group_rules
from groups.models import DevelopmentGroup
from groups.plans import permissions as plan_rules
from meetings import permissions as meeting_rules
from proposals import permissions as proposal_rules
from proposals import services as proposal_services
from proposals.models import Comment, ModerationDecision, Visibility
from tests.factories import (
    PASSWORD,
    Client,
    UserFactory,
    give_second_factor,
    membership,
    registration_response,
    signed_in,
    totp_code,
)
from tests.groups.test_plans import YEAR, make_plan
from tests.meetings.conftest import make_meeting
from tests.personas import log_in_persona
from tests.proposals.conftest import make_proposal, snapshot

pytestmark = pytest.mark.django_db

WITHOUT_SECOND_FACTOR = [
    "staff_without_second_factor",
    "staff_session_without_second_factor",
    "superuser_without_second_factor",
    "superuser_session_without_second_factor",
]


@pytest.fixture
def superuser_without_second_factor(db):
    return UserFactory(is_staff=True, is_superuser=True, display_name="Super Utan Kod")


@pytest.fixture
def superuser_session_without_second_factor(db):
    user = UserFactory(is_staff=True, is_superuser=True, display_name="Super Utan Steg")
    give_second_factor(user)
    return user


def log_in(client, request, persona):
    if persona == "superuser_session_without_second_factor":
        user = request.getfixturevalue(persona)
        client.force_login(user, second_factor=False)
        return user
    return log_in_persona(client, request, persona)


@pytest.fixture
def world(staff, coordinator):
    """What the reproduction reached with a password alone: Södra Vi's member list (a name
    and an e-mail address), Storebro's draft plan, a meeting whose booklet is not open yet,
    a proposal with a hidden comment."""
    sodra_vi = UserFactory(display_name="Medlem Södra", email="hemlig.medlem@example.se")
    membership(sodra_vi, slug="sodra-vi", sector="business")
    draft = make_plan(published=False, actions=1)
    meeting = make_meeting()
    proposal = make_proposal(UserFactory(display_name="Förslags Ställare"))
    comment = proposal_services.comment_create(
        proposal=proposal,
        author=UserFactory(display_name="Kommentar Skribent"),
        body="En dold kommentar",
    )
    # Hidden after reports: it waits for a moderator's decision on the list to answer.
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.HIDDEN)
    return {"draft": draft, "meeting": meeting, "proposal": proposal, "comment": comment}


def reproduced(world):
    """Each page the reproduction opened without the second factor, and a text on it that
    only staff may read."""
    action = world["draft"].actions.get().title
    return {
        "group page": ("/orter/sodra-vi/grupp/", "Medlem Södra"),
        "another group's page": ("/orter/storebro/grupp/", "Samordnare Berg"),
        "member list csv": ("/orter/sodra-vi/grupp/medlemmar.csv", "hemlig.medlem@example.se"),
        "draft plan": (f"/orter/storebro/plan/{YEAR}/", action),
        "follow-up": ("/uppfoljning/", "Utvecklingsgruppen i Storebro"),
        "follow-up csv": (f"/uppfoljning/atgarder-{YEAR}.csv", action),
        "booklet": (f"/natverksmoten/{world['meeting'].pk}/hafte/", world["meeting"].title),
        "proposals to answer": ("/forslag/att-besvara/", "En dold kommentar"),
    }


PAGES = [
    "group page",
    "another group's page",
    "member list csv",
    "draft plan",
    "follow-up",
    "follow-up csv",
    "booklet",
    "proposals to answer",
]


@pytest.mark.parametrize("persona", WITHOUT_SECOND_FACTOR)
@pytest.mark.parametrize("page", PAGES)
def test_a_password_alone_opens_no_staff_page(client, request, world, page, persona):
    path, secret = reproduced(world)[page]
    log_in(client, request, persona)
    response = client.get(path)
    # As for any resident: refused, or a draft that does not exist for them.
    assert response.status_code in (403, 404), response.status_code
    assert secret not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_the_same_pages_open_for_staff_past_the_second_factor(client, staff, world, page):
    path, secret = reproduced(world)[page]
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 200
    assert secret in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("persona", WITHOUT_SECOND_FACTOR)
def test_a_password_alone_removes_no_comment(client, request, world, persona):
    comment = world["comment"]
    log_in(client, request, persona)
    before = snapshot()
    response = client.post(
        f"/forslag/kommentar/{comment.pk}/moderera/", {"decision": "remove", "reason": "Spam"}
    )
    assert response.status_code in (403, 404)
    assert snapshot() == before
    assert Comment.objects.get(pk=comment.pk).visibility == Visibility.HIDDEN
    assert not ModerationDecision.objects.exists()


def test_staff_past_the_second_factor_remove_a_comment(client, staff, world):
    comment = world["comment"]
    client.force_login(staff)
    response = client.post(
        f"/forslag/kommentar/{comment.pk}/moderera/", {"decision": "remove", "reason": "Spam"}
    )
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).visibility == Visibility.REMOVED


@pytest.mark.parametrize("persona", WITHOUT_SECOND_FACTOR)
def test_every_staff_rule_answers_no_without_the_second_factor(request, world, persona):
    account = request.getfixturevalue(persona)
    user = signed_in(account, second_factor=False)
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    draft_meeting = make_meeting(status="draft", title="Utkast")
    assert core.is_staff_account(user)
    assert not core.is_staff_member(user)
    assert not core.can_open_admin(user)
    assert not core.can_manage_rights(user)
    assert not group_rules.can_manage_group(user, group)
    assert not group_rules.can_see_member_names(user, group)
    assert group_rules.managed_group_ids(user) == set()
    assert not plan_rules.can_see_draft_plans(user, group)
    assert not plan_rules.can_follow_up_plans(user)
    assert proposal_rules.answerable_locality_ids(user) == set()
    assert not proposal_rules.can_answer(user, world["proposal"])
    assert not proposal_rules.answers_for_the_municipality(user)
    assert not meeting_rules.can_see_meeting(user, draft_meeting)
    assert not meeting_rules.can_read_booklet(user, world["meeting"])
    assert not meeting_rules.can_run_meetings(user)


def test_with_the_second_factor_the_same_rules_answer_yes(staff, world):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    give_second_factor(superuser)
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    for user in (signed_in(staff), signed_in(superuser)):
        assert core.is_staff_member(user) and core.can_open_admin(user)
        assert group_rules.can_manage_group(user, group)
        assert plan_rules.can_follow_up_plans(user)
        assert proposal_rules.can_answer(user, world["proposal"])
        assert meeting_rules.can_run_meetings(user)
    assert core.can_manage_rights(signed_in(superuser))
    assert not core.can_manage_rights(signed_in(staff))


def test_a_user_no_session_speaks_for_has_no_staff_right_but_is_still_told(staff, world):
    """Tasks, commands and e-mail fan-out hold accounts, not sessions: whom to tell is the
    queryset of staff accounts; a service acting for such an object refuses a staff right
    and changes nothing."""
    locality_id = world["proposal"].locality_id
    assert not core.is_staff_member(staff)
    assert staff in core.staff_members()
    assert staff in proposal_rules.moderators(locality_id)
    before = snapshot()
    with pytest.raises(proposal_services.ProposalError):
        proposal_services.moderate(
            by=staff, decision="remove", reason="Spam", comment=world["comment"]
        )
    assert snapshot() == before


def test_the_account_rules_ask_the_account_not_the_session(
    client, staff_without_second_factor, staff_session_without_second_factor
):
    """Whether an account must set up a second factor, or may turn its last one off, does
    not depend on how this session signed in."""
    assert needs_second_factor(signed_in(staff_without_second_factor))
    assert not needs_second_factor(
        signed_in(staff_session_without_second_factor, second_factor=False)
    )
    client.force_login(staff_session_without_second_factor, second_factor=False)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(
        user=staff_session_without_second_factor, type=Authenticator.Type.TOTP
    ).exists()


# -- removing the last authenticator ends the rights in every open session ---------------


def test_removing_the_last_authenticator_ends_staff_rights_in_every_open_session(staff):
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(staff)
    for client in (first, second):
        assert client.get("/uppfoljning/").status_code == 200
        assert client.get("/admin/").status_code == 200
    # A superuser takes them away in the admin (staff cannot turn their own off).
    Authenticator.objects.filter(user=staff).delete()
    for client in (first, second):
        assert client.get("/uppfoljning/").status_code == 403
        assert client.get("/orter/storebro/grupp/").status_code == 403
        assert client.get("/admin/")["Location"] == "/konto/2fa/"
    # A new app made later does not bring the old sessions back: each passes it again.
    give_second_factor(staff)
    for client in (first, second):
        assert client.get("/uppfoljning/").status_code == 403
        assert client.get("/admin/")["Location"].startswith("/konto/2fa/reauthenticate/?next=")
    third = Client()
    third.force_login(staff)
    assert third.get("/uppfoljning/").status_code == 200


def test_a_session_of_an_account_with_passkeys_alone_is_asked_for_a_passkey(
    client, staff_without_second_factor
):
    WebAuthn.add(staff_without_second_factor, "Telefonen", registration_response(os.urandom(16)))
    client.force_login(staff_without_second_factor, second_factor=False)
    response = client.get("/admin/")
    assert response["Location"] == "/konto/2fa/webauthn/reauthenticate/?next=%2Fadmin%2F"
    assert client.get(response["Location"]).status_code == 200


def test_a_session_that_proved_a_removed_passkey_loses_the_rights(staff_without_second_factor):
    staff = staff_without_second_factor
    passkey = WebAuthn.add(staff, "Telefonen", registration_response(os.urandom(16))).instance
    RecoveryCodes.activate(staff)
    client = Client()
    client.force_login(staff)
    assert client.get("/uppfoljning/").status_code == 200
    passkey.delete()
    assert client.get("/uppfoljning/").status_code == 403


# -- setting up a second factor proves it; a session that did not pass it passes it -------


def test_staff_who_set_up_the_app_go_on_to_the_admin_without_logging_in_again(
    client, staff_without_second_factor
):
    staff = staff_without_second_factor
    client.force_login(staff)
    assert client.get("/admin/")["Location"] == "/konto/2fa/"
    assert client.get("/uppfoljning/").status_code == 403
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get("/admin/").status_code == 200
    assert client.get("/uppfoljning/").status_code == 200

    # Another session of the account, logged in with the password before the app existed,
    # has no staff right until it types a code; the admin asks for one and goes on.
    other = Client()
    other.force_login(staff, second_factor=False)
    assert other.get("/uppfoljning/").status_code == 403
    response = other.get("/admin/")
    assert response["Location"] == "/konto/2fa/reauthenticate/?next=%2Fadmin%2F"
    response = other.post(response["Location"], {"code": totp_code(secret, periods_ahead=1)})
    assert response["Location"] == "/admin/"
    assert other.get("/admin/").status_code == 200
    assert other.get("/uppfoljning/").status_code == 200


def test_a_wrong_code_when_setting_up_proves_nothing(client, staff_without_second_factor):
    client.force_login(staff_without_second_factor)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    assert client.post(reverse("mfa_activate_totp"), {"code": wrong}).status_code == 200
    assert not Authenticator.objects.filter(user=staff_without_second_factor).exists()
    assert client.get("/uppfoljning/").status_code == 403


def test_staff_who_add_a_passkey_go_on_to_the_admin_without_logging_in_again(
    client, settings, staff_without_second_factor
):
    # The test server speaks http; production's origin is https.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    client.force_login(staff_without_second_factor)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    challenge = websafe_decode(client.session["mfa.webauthn.state"]["challenge"])
    response = client.post(
        reverse("mfa_add_webauthn"),
        {"name": "Telefonen", "credential": json.dumps(registration_response(challenge))},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Authenticator.objects.filter(
        user=staff_without_second_factor, type=Authenticator.Type.WEBAUTHN
    ).exists()
    assert client.get("/admin/").status_code == 200
    assert client.get("/uppfoljning/").status_code == 200


# -- the real login ---------------------------------------------------------------------


def test_the_real_login_with_a_recovery_code_passes_the_second_factor(client, staff):
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    # Between the password and the code nobody is signed in.
    assert client.get("/uppfoljning/").status_code == 302
    code = RecoveryCodes(
        Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get("/uppfoljning/").status_code == 200


def test_superusers_need_the_second_factor_for_the_admin_too(
    client, superuser_without_second_factor, superuser_session_without_second_factor
):
    client.force_login(superuser_without_second_factor)
    for path in ("/admin/", "/admin/auth/group/", "/admin/allas/user/"):
        assert client.get(path)["Location"] == "/konto/2fa/"
    client.force_login(superuser_session_without_second_factor, second_factor=False)
    response = client.get("/admin/auth/group/")
    assert response["Location"] == "/konto/2fa/reauthenticate/?next=%2Fadmin%2Fauth%2Fgroup%2F"
    client.force_login(superuser_session_without_second_factor)
    assert client.get("/admin/auth/group/").status_code == 200


# -- what it costs ----------------------------------------------------------------------


def test_a_visitor_without_a_session_costs_no_query(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    AuthenticationMiddleware(lambda request: None).process_request(request)
    SessionSecondFactorMiddleware(lambda request: None)(request)
    with django_assert_num_queries(0):
        assert not request.user.is_authenticated
        assert not core.is_staff_member(request.user)


@pytest.mark.parametrize(
    "path", ["/orter/storebro/grupp/", "/uppfoljning/", "/forslag/att-besvara/"]
)
def test_the_second_factor_is_read_with_the_user_in_one_query(
    client, staff, world, path, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(100) as captured:
        assert client.get(path).status_code == 200
    reading = [q["sql"] for q in captured.captured_queries if "mfa_authenticator" in q["sql"]]
    assert len(reading) == 1 and '"allas_user"' in reading[0], reading

"""What an attacker or an operator would try: rights in the admin, the second factor, drafts,
spreadsheet formulas, feeds, forwarded addresses, account probing, invisible text, subjects
and weak passwords."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from allas.models import OutboundEmail, User
from allas.staff import STAFF_GROUP
from groups.models import Action, DevelopmentGroup
from proposals import services as proposal_services
from proposals.models import Comment, Proposal
from tests.factories import PASSWORD, UserFactory, membership, totp_code_for
from tests.groups.test_plans import make_plan
from tests.proposals.conftest import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return UserFactory(display_name="Förslags Ställare")


def rights(user):
    user.refresh_from_db()
    return (
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


def user_change_post(user, **changes):
    """The user admin's change form as a browser would post it, with changes."""
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "home_locality": "",
        "age_band": user.age_band,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


ESCALATION = {
    "is_superuser": "on",
    "is_staff": "on",
    "groups": "STAFF_GROUP_ID",
    "user_permissions": "PERMISSION_ID",
}


def escalation(field):
    if field == "groups":
        return [str(Group.objects.get(name=STAFF_GROUP).pk)]
    if field == "user_permissions":
        return [str(Permission.objects.get(codename="change_user").pk)]
    return "on"


# -- 1. Rights in the admin ---------------------------------------------------------


@pytest.mark.parametrize("field", list(ESCALATION))
def test_staff_cannot_give_a_resident_rights_but_can_manage_the_account(
    client, staff, resident, field
):
    client.force_login(staff)
    before = rights(resident)
    page = client.get(f"/admin/allas/user/{resident.pk}/change/")
    assert page.status_code == 200
    for name in ESCALATION:
        assert f'name="{name}"' not in page.content.decode()
    data = user_change_post(resident, display_name="Nytt Namn", **{field: escalation(field)})
    response = client.post(f"/admin/allas/user/{resident.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert rights(resident) == before
    assert resident.display_name == "Nytt Namn"


@pytest.mark.parametrize("field", list(ESCALATION))
def test_staff_cannot_raise_their_own_rights(client, staff, field):
    client.force_login(staff)
    before = rights(staff)
    client.post(
        f"/admin/allas/user/{staff.pk}/change/",
        user_change_post(staff, **{field: escalation(field)}),
    )
    assert rights(staff) == before


def test_staff_cannot_change_a_superusers_or_a_colleagues_account(client, staff):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    colleague = UserFactory(is_staff=True)
    client.force_login(staff)
    for other in (superuser, colleague):
        email = other.email
        response = client.post(
            f"/admin/allas/user/{other.pk}/change/",
            user_change_post(other, email="angripare@example.se"),
        )
        assert response.status_code == 403
        password = client.post(
            f"/admin/allas/user/{other.pk}/password/",
            {"password1": "Angripare-tar-over-1", "password2": "Angripare-tar-over-1"},
        )
        assert password.status_code == 403
        other.refresh_from_db()
        assert other.email == email
        assert other.check_password(PASSWORD)


def test_staff_cannot_reach_permission_groups_or_permissions(client, staff):
    group = Group.objects.get(name=STAFF_GROUP)
    before = sorted(group.permissions.values_list("codename", flat=True))
    client.force_login(staff)
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get(f"/admin/auth/group/{group.pk}/change/").status_code == 403
    response = client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": STAFF_GROUP, "permissions": [str(p.pk) for p in Permission.objects.all()]},
    )
    assert response.status_code == 403
    assert sorted(group.permissions.values_list("codename", flat=True)) == before
    assert client.get("/admin/auth/permission/").status_code == 404
    assert "/admin/auth/group/" not in client.get("/admin/").content.decode()


def test_a_superuser_still_manages_rights(client, resident):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    from tests.factories import give_second_factor

    give_second_factor(superuser)
    client.force_login(superuser)
    page = client.get(f"/admin/allas/user/{resident.pk}/change/").content.decode()
    assert 'name="is_superuser"' in page
    client.post(
        f"/admin/allas/user/{resident.pk}/change/",
        user_change_post(resident, is_staff="on", groups=escalation("groups")),
    )
    assert rights(resident)[:3] == (True, False, [STAFF_GROUP])


# -- 2. The second factor -----------------------------------------------------------


def test_staff_without_a_second_factor_are_sent_to_set_it_up(client):
    newcomer = UserFactory(is_staff=True)
    newcomer.groups.add(Group.objects.get(name=STAFF_GROUP))
    response = client.post("/konto/login/", {"login": newcomer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/"
    for path in ("/admin/", "/admin/allas/user/", "/admin/meetings/networkmeeting/"):
        blocked = client.get(path)
        assert blocked.status_code == 302 and blocked["Location"] == "/konto/2fa/", path
    assert client.get("/konto/2fa/").status_code == 200


def test_the_admin_login_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")
    # The admin's own password form is not reachable: a POST to it goes the same way.
    staff = UserFactory(is_staff=True)
    post = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert post.status_code == 302 and post["Location"].startswith("/konto/login/")
    assert "_auth_user_id" not in client.session


def test_staff_log_in_with_password_and_code_and_a_wrong_code_is_refused(client, staff):
    response = client.post("/konto/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/konto/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Felaktig kod" in wrong.content.decode() or "fel" in wrong.content.decode().lower()
    assert client.get("/admin/").status_code == 302
    right = client.post("/konto/2fa/authenticate/", {"code": totp_code_for(staff)})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_resident_may_turn_on_the_second_factor(client, resident):
    client.force_login(resident)
    page = client.get("/konto/profil/").content.decode()
    assert 'href="/konto/2fa/"' in page
    assert client.get("/konto/2fa/").status_code == 200
    assert client.get("/konto/2fa/totp/activate/").status_code in (200, 302)
    # Residents are not forced: the portal opens without one.
    assert client.get("/forslag/").status_code == 200
    assert not Authenticator.objects.filter(user=resident).exists()


# -- 4. Drafts never leak through a link --------------------------------------------


def draft_action():
    plan = make_plan(published=False)
    return plan.actions.get()


def test_a_link_to_a_draft_action_shows_nothing_and_cannot_be_made(client, coordinator, author):
    action = draft_action()
    proposal = make_proposal(author)
    # Made as it was before drafts were guarded, straight in the database.
    Proposal.objects.filter(pk=proposal.pk).update(action=action)
    page = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert action.title not in page
    client.force_login(coordinator)
    form = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert action.title not in form
    Proposal.objects.filter(pk=proposal.pk).update(action=None)
    response = client.post(
        f"/forslag/{proposal.pk}/status/", {"status": "under_review", "action": action.pk}
    )
    # Refused, the form comes back, and the draft's action is still not named in it.
    assert response.status_code == 200
    assert action.title not in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.action_id is None and proposal.status == "submitted"
    with pytest.raises(proposal_services.ProposalError):
        proposal_services.proposal_set_status(
            proposal=proposal, by=coordinator, status="under_review", action=action
        )


def test_a_draft_action_is_nowhere_to_be_found(client, author):
    action = draft_action()
    action.title = "Hemlig utkastsåtgärd"
    action.save()
    proposal = make_proposal(author)
    Proposal.objects.filter(pk=proposal.pk).update(action=action)
    goal = action.goals.first()
    for path in (
        "/",
        "/orter/storebro/",
        "/mal/",
        f"/mal/{goal.slug}/",
        f"/forslag/{proposal.pk}/",
        "/forslag/",
        "/forslag/atom/",
        "/mal/export.csv",
        "/mal/export.json",
        "/sok/?q=hemlig",
        "/forslag/?q=hemlig",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Hemlig utkastsåtgärd" not in response.content.decode(), path


def test_published_actions_are_offered_and_shown(client, coordinator, author):
    action = make_plan().actions.get()
    proposal = make_proposal(author)
    client.force_login(coordinator)
    assert action.title in client.get(f"/forslag/{proposal.pk}/").content.decode()
    client.post(f"/forslag/{proposal.pk}/status/", {"status": "under_review", "action": action.pk})
    proposal.refresh_from_db()
    assert proposal.action_id == action.pk
    client.logout()
    assert action.title in client.get(f"/forslag/{proposal.pk}/").content.decode()


# -- 5. Every CSV through the one guarded writer ------------------------------------

FORMULAS = ['=HYPERLINK("https://example.com","x")', "+1", "-1", "@SUM(A1:A2)", "\tx", "\rx"]


def read_csv(response, delimiter):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=delimiter))


def assert_no_formula(rows):
    cells = [cell for row in rows for cell in row]
    for formula in FORMULAS:
        assert formula not in cells
        assert "'" + formula in cells, formula


def test_every_csv_export_writes_formulas_as_text(client, coordinator, staff):
    plan = make_plan(actions=0)
    from groups.plans import services as plan_services
    from tests.groups.test_plans import goals

    for formula in FORMULAS:
        plan_services.action_create(
            plan=plan, goals=goals("kontakt"), by=None, title=formula, status="ongoing"
        )
        membership(UserFactory(display_name=formula), sector="business")
    assert_no_formula(read_csv(client.get("/mal/export.csv"), ","))
    client.force_login(staff)
    year = plan.year
    assert_no_formula(read_csv(client.get(f"/uppfoljning/atgarder-{year}.csv"), ","))
    client.force_login(coordinator)
    assert_no_formula(read_csv(client.get("/orter/storebro/grupp/medlemmar.csv"), ";"))
    # The staff's export of memberships in the admin.
    client.force_login(staff)
    from groups.models import Membership

    exported = client.post(
        "/admin/groups/membership/",
        {
            "action": "export_csv",
            "_selected_action": [str(pk) for pk in Membership.objects.values_list("pk", flat=True)],
        },
    )
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    assert_no_formula(read_csv(exported, ";"))


def test_the_attendees_csv_writes_formulas_as_text(client, staff):
    from meetings import services as meeting_services
    from tests.meetings.conftest import make_meeting

    meeting = make_meeting()
    for n, formula in enumerate(FORMULAS):
        invitation = meeting_services.invitation_add_guest(
            meeting=meeting, name=formula, email=f"gast{n}@example.se", by=staff
        )
        invitation.answer = "yes"
        invitation.dietary_needs = formula
        invitation.save()
    client.force_login(staff)
    response = client.get(f"/admin/meetings/networkmeeting/{meeting.pk}/deltagare.csv")
    assert response.status_code == 200
    assert_no_formula(read_csv(response, ";"))


# -- 6. Feeds carry residents' text as text ------------------------------------------


def test_the_atom_feed_carries_no_markup_from_the_body(client, author):
    make_proposal(
        author, body='<script>alert("x")</script><b>fet</b> <a href="https://e.se">l</a>\nrad'
    )
    for path in ("/forslag/atom/", "/forslag/atom/storebro/"):
        root = ET.fromstring(client.get(path).content)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        summary = root.find("a:entry/a:summary", ns)
        assert summary is not None and summary.get("type") == "html"
        # What a reader renders: the summary's text, parsed as HTML.
        fragment = html5lib.parseFragment(summary.text, namespaceHTMLElements=False)
        tags = {element.tag for element in fragment.iter() if isinstance(element.tag, str)}
        assert tags <= {"DOCUMENT_FRAGMENT", "br"}, tags
        assert '<script>alert("x")</script>' in "".join(fragment.itertext())


# -- 7. The client's address behind the proxy ---------------------------------------


def failed_logins(client, email, forwarded_for):
    return client.post(
        "/konto/login/",
        {"login": email, "password": "fel-losenord-123"},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR="10.0.0.1",
    )


LIMITED = "Du har försökt logga in för många gånger"


def test_behind_the_trusted_proxy_each_client_is_counted_on_its_own(client, settings, resident):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    for _ in range(3):
        assert LIMITED not in failed_logins(client, resident.email, "203.0.113.5").content.decode()
    assert LIMITED in failed_logins(client, resident.email, "203.0.113.5").content.decode()
    # Another resident behind the same proxy is not locked out.
    other = client.post(
        "/konto/login/",
        {"login": resident.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        REMOTE_ADDR="10.0.0.1",
    )
    assert other.status_code == 302


def test_without_a_trusted_proxy_a_forged_header_is_ignored(client, settings, resident):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    for n in range(3):
        failed_logins(client, resident.email, f"203.0.113.{n}")
    # A new forged address each time does not buy more tries.
    assert LIMITED in failed_logins(client, resident.email, "203.0.113.99").content.decode()


def test_a_trusted_header_names_the_client(client, settings, resident):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/m/ip"}
    for _ in range(2):
        client.post(
            "/konto/login/",
            {"login": resident.email, "password": "fel-losenord-123"},
            HTTP_X_REAL_IP="203.0.113.5",
        )
    ok = client.post(
        "/konto/login/",
        {"login": resident.email, "password": PASSWORD},
        HTTP_X_REAL_IP="198.51.100.7",
    )
    assert ok.status_code == 302


# -- 8. Password reset tells nothing ------------------------------------------------

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, resident):
    known = client.post("/konto/password/reset/", {"email": resident.email})
    cache.clear()
    unknown = client.post("/konto/password/reset/", {"email": "ingen@example.se"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known = CSRF_TOKEN.sub("", client.get(known["Location"]).content.decode())
    done_unknown = CSRF_TOKEN.sub("", client.get(unknown["Location"]).content.decode())
    assert done_known == done_unknown
    assert OutboundEmail.objects.get(to=resident.email).kind == "account.password_reset_key"
    unknown_mail = OutboundEmail.objects.get(to="ingen@example.se")
    assert unknown_mail.kind == "account.unknown_account"
    assert "/konto/password/reset/key/" not in unknown_mail.body_text


# -- 9. Invisible text, subjects, passwords ------------------------------------------

INVISIBLE = ["\u200b\u200b", "\u2060 \u200d", "\ufeff", "\u00a0\u3000", "\u200e\u200f"]


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_proposal_of_invisible_characters_is_refused(client, resident, text):
    client.force_login(resident)
    response = client.post(
        "/forslag/nytt/",
        {"locality": DevelopmentGroup.objects.first().locality_id, "title": text, "body": text},
    )
    assert response.status_code == 200
    assert "Skriv" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_comment_or_a_name_of_invisible_characters_is_refused(client, author, text):
    proposal = make_proposal(author)
    client.force_login(author)
    client.post(f"/forslag/{proposal.pk}/kommentera/", {"body": text})
    assert not Comment.objects.exists()
    name = author.display_name
    client.post(
        "/konto/profil/",
        {"display_name": text, "home_locality": "", "age_band": "not_stated", "language": "sv"},
    )
    author.refresh_from_db()
    assert author.display_name == name


def test_an_action_title_of_invisible_characters_is_refused(client, coordinator):
    plan = make_plan(actions=0)
    client.force_login(coordinator)
    from allas.models import SlusGoal

    client.post(
        f"/orter/storebro/plan/{plan.year}/atgard/ny/",
        {
            "title": "\u200b",
            "goals": [SlusGoal.objects.first().pk],
            "status": "planned",
            "progress": 0,
        },
    )
    assert not Action.objects.filter(plan=plan).exists()


def test_a_guest_name_of_invisible_characters_is_refused(staff):
    from meetings.forms import GuestForm

    form = GuestForm({"name": "\u200b\u2060", "email": "gast@example.se"})
    assert not form.is_valid()
    assert "osynliga tecken" in form.errors["name"][0]


def test_a_name_of_invisible_characters_cannot_sign_up(client):
    client.post(
        "/konto/signup/",
        {
            "email": "ny@example.se",
            "display_name": "\u200b\u200c",
            "password1": "Ett-bra-losenord-2026",
            "password2": "Ett-bra-losenord-2026",
        },
    )
    assert not User.objects.filter(email="ny@example.se").exists()


def test_meeting_subjects_are_not_html_escaped(staff):
    from meetings import services as meeting_services
    from tests.meetings.conftest import make_meeting

    meeting = make_meeting(title='Möte "Vår & höst" <2027>')
    meeting_services.invitation_add_guest(
        meeting=meeting, name="Gäst", email="gast@example.se", by=staff
    )
    meeting_services.invitations_send(meeting=meeting, by=staff)
    subject = OutboundEmail.objects.get(to="gast@example.se").subject
    assert 'Möte "Vår & höst" <2027>' in subject
    assert "&quot;" not in subject and "&amp;" not in subject and "&lt;" not in subject


@pytest.mark.parametrize(
    "password", ["Sommar2026", "Vimmerby1!", "kort-1", "password123", "1234567890"]
)
def test_weak_passwords_are_refused_with_a_swedish_message(client, password):
    response = client.post(
        "/konto/signup/",
        {
            "email": "ny@example.se",
            "display_name": "Ny",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="ny@example.se").exists()
    assert "lösenord" in response.content.decode().lower()

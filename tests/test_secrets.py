"""No secret is readable by anyone but its recipient, and no path leads from staff to more
rights than staff have: a password reset asked for a superuser's address is not staff's to
follow, and the admin never lets staff change how an account with rights signs in, nor
find out who holds rights."""

import html
import itertools
import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.translation import gettext

from allas import outbox, redaction, services
from allas.models import AuditEvent, Locality, OutboundEmail, User
from allas.staff import STAFF_GROUP
from tests.factories import PASSWORD, UserFactory, give_second_factor, totp_code_for
from tests.test_accounts import GOOD as SIGNUP

pytestmark = pytest.mark.django_db

# What a URL argument or query parameter holding a secret is called: written out here on
# its own, so a new view whose argument allas.redaction would not recognise fails below.
SECRET_LOOKING = re.compile(
    r"key|token|uid|code|secret|sig|hash|pass|otp|nonce|pin|cred", re.IGNORECASE
)
NEW_PASSWORD = "Ny-fras-for-chefen-2026"


def swedish(text_function) -> str:
    with translation.override("sv"):
        return html.escape(text_function())


# -- recognising a personal link -----------------------------------------------------------


def _patterns(patterns, namespace="", arguments=frozenset()):
    for pattern in patterns:
        here = arguments | set(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner, here)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else None), here


def _reversed(name: str, arguments: set[str]) -> tuple[str, dict]:
    """A path for the pattern with made-up values that its converters accept."""
    candidates = ["Hemlig4Nyckel9xQz", "48151623420", "hemlig-nyckel-9x"]
    for values in itertools.product(candidates, repeat=len(arguments)):
        kwargs = dict(zip(sorted(arguments), values, strict=True))
        try:
            return reverse(name, kwargs=kwargs), kwargs
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: could not make a link to try")


def test_every_url_pattern_that_takes_a_secret_is_hidden_in_every_form_of_link():
    checked = set()
    for name, arguments in _patterns(get_resolver().url_patterns):
        secret = {a for a in arguments if SECRET_LOOKING.search(a)}
        if not secret:
            continue
        assert name, f"a pattern taking {secret} has no name to build its links with"
        path, kwargs = _reversed(name, arguments)
        values = [kwargs[a] for a in secret]
        for text in (
            f"Öppna länken {settings.SITE_URL}{path}. Den gäller en gång.",
            f"Öppna länken http://testserver{path}",
            f"<{settings.SITE_URL}{path}>, <mailto:x@example.se>",
            f'<p><a href="{path}">svara</a></p>',
            f'<a href="https://allas.vimmerby.se{path}?a=1&amp;b=2">https://allas.vimmerby.se{path}</a>',
        ):
            shown = redaction.redacted_text(text)
            for value in values:
                assert value not in shown, (name, text, shown)
            assert redaction.link_placeholder() in shown
        checked.add(name)
    # The walk reaches the portal's own personal links and allauth's.
    assert {
        "account_reset_password_from_key",
        "account_confirm_email",
        "meeting_answer",
        "meeting_booklet_token",
        "notifications_unsubscribe",
    } <= checked


def test_a_secret_in_a_query_or_a_mailto_command_is_hidden_and_other_links_are_kept():
    for text in (
        "https://allas.vimmerby.se/forslag/?token=Hemlig4Nyckel9xQz",
        "/sok/?q=x&reset_code=Hemlig4Nyckel9xQz",
        "mailto:avsluta@vimmerby.se?subject=unsubscribe%20Hemlig4Nyckel9xQz",
    ):
        assert "Hemlig4Nyckel9xQz" not in redaction.redacted_text(f'"{text}"')
    # Links that act for no one stay as they are: staff still read where an e-mail points.
    for text in (
        "https://allas.vimmerby.se/forslag/12/",
        "https://allas.vimmerby.se/natverksmoten/3/",
        "http://testserver/orter/storebro/grupp/",
        "https://teams.example.com/meet/123?p=1",
        "mailto:natverksmote@vimmerby.se",
    ):
        assert redaction.redacted_text(f"Läs mer: {text} .") == f"Läs mer: {text} ."


# -- helpers for the admin walk ------------------------------------------------------------


def sign_in(client: Client, user) -> Client:
    """Through the real login pages: the password, then the code of the app."""
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    if response["Location"].startswith("/konto/2fa/authenticate/"):
        response = client.post("/konto/2fa/authenticate/", {"code": totp_code_for(user)})
        assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    return client


def admin_pages(client: Client) -> dict[str, str]:
    """Every page of the admin the signed-in person can open with a GET: the index, each
    app's index, and for every registered model each of its admin's pages, for every
    object where the page takes one (change, history, password, delete confirmation and the
    admin's own pages)."""
    pages = {}

    def visit(path):
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code == 200:
            pages[path] = response.content.decode(errors="replace")

    visit("/admin/")
    for model, model_admin in admin.site._registry.items():
        visit(f"/admin/{model._meta.app_label}/")
        objects = list(model._default_manager.values_list("pk", flat=True))
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            arguments = set(pattern.pattern.regex.groupindex)
            if not name:
                continue
            if not arguments:
                visit(reverse(f"admin:{name}"))
                visit(reverse(f"admin:{name}") + "?all=&_facets=1")
            elif len(arguments) == 1:
                [argument] = arguments
                for pk in objects:
                    try:
                        visit(reverse(f"admin:{name}", kwargs={argument: pk}))
                    except NoReverseMatch:
                        break
    return pages


def assert_nowhere(secrets, pages: dict[str, str]):
    forms = {f for s in secrets for f in (s, quote(s), quote(s, safe=""), html.escape(s))}
    for path, page in pages.items():
        for form in forms:
            assert form not in page, f"{form!r} is readable on {path}"


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/konto/password/reset/key/[^\s]+/)", message.body).group(1)


def key_parts(link: str) -> list[str]:
    """The key of a reset link whole, and its HMAC alone."""
    key = link.rstrip("/").rsplit("/", 1)[1]
    return [key, key.rsplit("-", 1)[1]]


@pytest.fixture
def superuser(db):
    user = UserFactory(is_staff=True, is_superuser=True, display_name="Chef Chefsson")
    give_second_factor(user)
    return user


@pytest.fixture
def colleague(db):
    user = UserFactory(is_staff=True, display_name="Kollega Kvist")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    give_second_factor(user)
    return user


# -- reproduction: a reset for a superuser read in the outbox ---------------------------------


def test_a_reset_asked_for_a_superuser_leaves_no_usable_key_on_any_admin_page_staff_can_reach(
    staff, superuser, django_capture_on_commit_callbacks
):
    anyone = Client()
    # The first reset is delivered (as a worker would), the second still waits to be sent.
    with django_capture_on_commit_callbacks(execute=True):
        assert anyone.post("/konto/password/reset/", {"email": superuser.email}).status_code == 302
    [delivered] = [m for m in mail.outbox if m.to == [superuser.email]]
    link = reset_link(delivered)
    sent = OutboundEmail.objects.get(to=superuser.email, status=OutboundEmail.Status.SENT)
    assert anyone.post("/konto/password/reset/", {"email": superuser.email}).status_code == 302
    waiting = OutboundEmail.objects.get(to=superuser.email, status=OutboundEmail.Status.QUEUED)
    waiting_link = re.search(r"(/konto/password/reset/key/[^\s]+/)", waiting.body_text).group(1)

    staff_client = sign_in(Client(), staff)
    pages = admin_pages(staff_client)
    assert len(pages) > 50
    assert_nowhere(key_parts(link) + key_parts(waiting_link), pages)
    # The walk saw the outbox: both rows, by what they are, without their bodies.
    for row in (sent, waiting):
        page = pages[f"/admin/allas/outboundemail/{row.pk}/change/"]
        assert superuser.email in page
        assert swedish(redaction.body_placeholder) in page
    # Nor do searching and filtering the outbox find it, a character at a time or whole.
    hex_key = key_parts(waiting_link)[1]
    for query in (
        f"?q={hex_key}",
        f"?body_text__contains={hex_key[:4]}",
        f"?body_html__icontains={hex_key[:4]}",
        "?headers__has_key=List-Unsubscribe",
        f"?attachments__contains={hex_key[:4]}",
    ):
        response = staff_client.get(f"/admin/allas/outboundemail/{query}")
        assert response.status_code in (200, 400)
        assert superuser.email not in response.content.decode(), query

    # Once sent, the stored row itself keeps no key at all.
    sent.refresh_from_db()
    stored = " ".join([sent.body_text, sent.body_html, str(sent.headers), str(sent.attachments)])
    for secret in key_parts(link):
        assert secret not in stored

    # The link still works for the one it was sent to.
    owner = Client()
    form = owner.get(link)
    assert form.status_code == 302
    done = owner.post(form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    superuser.refresh_from_db()
    assert superuser.check_password(NEW_PASSWORD)


def test_personal_links_of_meetings_unsubscribes_and_confirmations_are_hidden_then_dropped(
    staff, superuser, coordinator
):
    from meetings import services as meeting_services
    from notifications.follows import follow_toggle
    from notifications.models import Delivery
    from notifications.preferences import settings_save
    from notifications.unsubscribe import unsubscribe_read
    from proposals import services as proposal_services
    from tests.meetings.conftest import make_meeting
    from tests.words import Kind

    meeting = make_meeting()
    meeting_services.invitations_build(meeting=meeting, by=staff)
    meeting_services.invitations_send(meeting=meeting, by=staff)
    invitation = meeting.invitations.get(email=coordinator.email)

    follower = UserFactory(display_name="Följare Falk")
    storebro = Locality.objects.get(slug="storebro")
    follow_toggle(user=follower, locality=storebro)
    settings_save(user=follower, choices={Kind.NEW_PROPOSALS: Delivery.DIRECT})
    proposal_services.proposal_create(
        author=UserFactory(), locality=storebro, title="Belysning", body="Det är mörkt."
    )
    notice = OutboundEmail.objects.get(to=follower.email, kind__startswith="notifications.")
    unsubscribe = notice.headers["List-Unsubscribe"].split(">", 1)[0].strip("<")
    unsubscribe_token = unsubscribe.rstrip("/").rsplit("/", 1)[1]

    signup = Client().post("/konto/signup/", SIGNUP)
    assert signup.status_code == 302
    confirmation = OutboundEmail.objects.get(to="ny.boende@example.se")
    confirm_key = re.search(r"/konto/confirm-email/([^/\s]+)/", confirmation.body_text).group(1)

    invitation_row = OutboundEmail.objects.get(to=coordinator.email, kind="meetings.invitation")
    secrets = [invitation.token, invitation.calendar_uid, unsubscribe_token, confirm_key]
    # Each secret was written into its row, and waits there to be sent.
    assert invitation.token in invitation_row.body_text
    assert invitation.calendar_uid in invitation_row.attachments[0]["content"]
    assert unsubscribe_token in notice.body_text + str(notice.headers)
    rows = [invitation_row, notice, confirmation]

    # The invitee's calendar answered: the log keeps the UID it carried.
    from meetings.models import CalendarReply

    CalendarReply.objects.create(
        sender=coordinator.email,
        uid=invitation.calendar_uid,
        attendee=f"mailto:{coordinator.email}",
        partstat="ACCEPTED",
        invitation=invitation,
        outcome=CalendarReply.Outcome.RECORDED,
    )

    staff_client = sign_in(Client(), staff)
    assert_nowhere(secrets, admin_pages(staff_client))
    for row in rows:
        page = staff_client.get(f"/admin/allas/outboundemail/{row.pk}/change/").content.decode()
        assert row.to in page
    page = staff_client.get(f"/admin/allas/outboundemail/{invitation_row.pk}/change/")
    assert swedish(redaction.link_placeholder) in page.content.decode()
    assert "natverksmote.ics" in page.content.decode()  # the attachment by its name alone
    assert_nowhere(
        secrets, {"list": staff_client.get("/admin/allas/outboundemail/").content.decode()}
    )

    # Sent, each row keeps only its redacted version; the recipient got the real one.
    for row in rows:
        assert outbox.outbox_deliver(email_id=row.pk).outcome == "sent"
        row.refresh_from_db()
        stored = {
            "body": row.body_text + row.body_html,
            "headers": str(row.headers),
            "attachments": str(row.attachments),
        }
        assert_nowhere(secrets, stored)
    delivered = {m.to[0]: m for m in mail.outbox}
    assert invitation.token in delivered[coordinator.email].body
    [(_name, ics, _mimetype)] = delivered[coordinator.email].attachments
    assert invitation.calendar_uid in ics
    assert unsubscribe_token in delivered[follower.email].extra_headers["List-Unsubscribe"]
    assert confirm_key in delivered["ny.boende@example.se"].body
    # What staff read of the invitation stays: the meeting, with the link hidden.
    invitation_row.refresh_from_db()
    assert "Stadshuset" in invitation_row.body_text
    assert invitation_row.attachments[0]["filename"] == "natverksmote.ics"
    assert "BEGIN:VCALENDAR" in invitation_row.attachments[0]["content"]
    # And the links still work for their recipients.
    assert Client().get(invitation.get_answer_url()).status_code == 200
    assert unsubscribe_read(unsubscribe_token)[0] == follower


def test_a_code_carrying_account_email_shows_no_body_and_keeps_none_once_sent(staff):
    row = services.email_queue(
        to="boende@example.se",
        subject="Allas Vimmerby: Inloggningskod",
        body_text="Din kod är: QX7RZ2KD",
        kind="account.login_code",
    )
    page = sign_in(Client(), staff).get(f"/admin/allas/outboundemail/{row.pk}/change/")
    assert "QX7RZ2KD" not in page.content.decode()
    assert "Inloggningskod" in page.content.decode()
    assert outbox.outbox_deliver(email_id=row.pk).outcome == "sent"
    row.refresh_from_db()
    assert "QX7RZ2KD" not in row.body_text + row.body_html
    assert mail.outbox[0].body == "Din kod är: QX7RZ2KD"


def test_an_email_given_up_keeps_no_secret(monkeypatch, resident):
    import smtplib

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({resident.email: (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    Client().post("/konto/password/reset/", {"email": resident.email})
    row = OutboundEmail.objects.get(to=resident.email)
    link = re.search(r"(/konto/password/reset/key/[^\s]+/)", row.body_text).group(1)
    assert outbox.outbox_deliver(email_id=row.pk).outcome == "failed"
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED and "550" in row.last_error
    for secret in key_parts(link):
        assert secret not in row.body_text + row.body_html


# Fields whose names look secret but hold none: keys that keep an e-mail or a digest from
# being written twice, a permission's code name, the last day to sign up for a meeting, the
# short address printed on a meeting's poster, a calendar reply's link to its sign-up and
# how many were signed up.
NOT_SECRET = {
    "dedup_key",
    "digest_key",
    "codename",
    "signup_deadline",
    "short_code",
    "signup",
    "kept_signup_count",
}


def test_no_admin_searches_or_filters_on_a_field_that_holds_a_secret(staff, superuser):
    """A filter the admin does not offer still works by its address unless refused, and
    counting the rows found reads a hidden token a character at a time."""
    checked = []
    for user in (staff, superuser):
        client = sign_in(Client(), user)
        request = client.get("/admin/").wsgi_request
        for model, model_admin in admin.site._registry.items():
            for field in model._meta.concrete_fields:
                if not SECRET_LOOKING.search(field.name) or field.name in NOT_SECRET:
                    continue
                changelist = reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
                )
                for lookup in (field.name, f"{field.name}__startswith", f"{field.name}__gt"):
                    response = client.get(f"{changelist}?{lookup}=a")
                    assert response.status_code in (400, 403), (user, changelist, lookup)
                checked.append(f"{model._meta.label}.{field.name}")
            searched = model_admin.get_search_fields(request)
            for name in searched:
                assert not SECRET_LOOKING.search(name.lstrip("^=@")), (model, name)
    assert {
        "meetings.Invitation.token",
        "meetings.CalendarReply.uid",
        "meetings.SignUp.token",
    } <= set(checked)


# -- reproduction: staff changing how an account with rights signs in -----------------------


def grant_staff(*codenames):
    """What a superuser might one day give the department: the permissions of allauth's
    admins. The rules must hold even then."""
    Group.objects.get(name=STAFF_GROUP).permissions.add(
        *Permission.objects.filter(codename__in=codenames)
    )


SIGN_IN_PERMISSIONS = [
    "view_emailaddress",
    "add_emailaddress",
    "change_emailaddress",
    "delete_emailaddress",
    "view_authenticator",
    "add_authenticator",
    "change_authenticator",
    "delete_authenticator",
]


def sign_in_state(*users):
    return {
        u.pk: (
            User.objects.get(pk=u.pk).password,
            User.objects.get(pk=u.pk).email,
            sorted(EmailAddress.objects.filter(user=u).values_list("email", "verified", "primary")),
            sorted(Authenticator.objects.filter(user=u).values_list("pk", "type")),
        )
        for u in users
    }


def test_staff_cannot_change_the_password_addresses_or_second_factors_of_an_account_with_rights(
    staff, superuser, colleague
):
    grant_staff(*SIGN_IN_PERMISSIONS)
    EmailAddress.objects.create(user=superuser, email="chef.privat@example.se", verified=False)
    client = sign_in(Client(), staff)
    before = sign_in_state(staff, superuser, colleague)
    records = (AuditEvent.objects.count(), LogEntry.objects.count())
    for account in (superuser, colleague, staff):
        address = EmailAddress.objects.filter(user=account).first()
        attempts = [
            (
                f"/admin/allas/user/{account.pk}/password/",
                {"password1": "Angripare-tar-over-1", "password2": "Angripare-tar-over-1"},
            ),
            (
                f"/admin/account/emailaddress/{address.pk}/change/",
                {
                    "user": account.pk,
                    "email": "angripare@example.se",
                    "verified": "on",
                    "primary": "on",
                },
            ),
            (f"/admin/account/emailaddress/{address.pk}/delete/", {"post": "yes"}),
            (
                "/admin/account/emailaddress/",
                {"action": "make_verified", "_selected_action": [address.pk]},
            ),
            (
                "/admin/account/emailaddress/",
                {"action": "delete_selected", "_selected_action": [address.pk], "post": "yes"},
            ),
        ]
        for authenticator in Authenticator.objects.filter(user=account):
            attempts += [
                (f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}),
                (
                    f"/admin/mfa/authenticator/{authenticator.pk}/change/",
                    {"user": staff.pk, "type": "totp"},
                ),
                (
                    "/admin/mfa/authenticator/",
                    {
                        "action": "delete_selected",
                        "_selected_action": [authenticator.pk],
                        "post": "yes",
                    },
                ),
            ]
        for path, data in attempts:
            response = client.post(path, data)
            assert response.status_code == 403, (account, path, response.status_code)
        # An address cannot be added to the account either: the form refuses it.
        added = client.post(
            "/admin/account/emailaddress/add/",
            {
                "user": account.pk,
                "email": "angripare@example.se",
                "verified": "on",
                "primary": "on",
            },
        )
        assert added.status_code == 200
        refusal = swedish(lambda: gettext("Only a superuser may change how this account signs in."))
        assert refusal in added.content.decode()
        # Nor a second factor of one's own choosing.
        assert (
            client.post(
                "/admin/mfa/authenticator/add/", {"user": account.pk, "type": "totp", "data": "{}"}
            ).status_code
            == 403
        )
    assert sign_in_state(staff, superuser, colleague) == before
    assert not EmailAddress.objects.filter(email="angripare@example.se").exists()
    # Nothing was recorded as done either.
    assert (AuditEvent.objects.count(), LogEntry.objects.count()) == records


def test_staff_still_look_after_a_residents_addresses_and_second_factor(staff, resident):
    grant_staff(*SIGN_IN_PERMISSIONS)
    give_second_factor(resident)
    client = sign_in(Client(), staff)
    address = EmailAddress.objects.create(user=resident, email="andra@example.se", verified=False)
    response = client.post(
        "/admin/account/emailaddress/",
        {"action": "make_verified", "_selected_action": [address.pk]},
    )
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified
    # A lost phone: staff remove the app, so the resident can log in with the password.
    totp = Authenticator.objects.get(user=resident, type=Authenticator.Type.TOTP)
    response = client.post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()


def test_no_one_reads_a_second_factors_secret_in_the_admin(superuser, resident):
    secret = give_second_factor(resident)
    totp = Authenticator.objects.get(user=resident, type=Authenticator.Type.TOTP)
    client = sign_in(Client(), superuser)
    page = client.get(f"/admin/mfa/authenticator/{totp.pk}/change/")
    assert page.status_code == 200 and str(resident) in page.content.decode()
    assert secret not in page.content.decode()
    # Nor a character at a time through a filter on the stored data.
    assert client.get(f"/admin/mfa/authenticator/?data__contains={secret[:2]}").status_code == 400


# -- reproduction: who holds rights, through the user list's filters -----------------------

RIGHTS_QUERIES = [
    "?is_superuser__exact=1",
    "?is_superuser=True",
    "?is_staff__exact=1",
    "?is_staff__exact=0",
    "?groups__id__exact={group}",
    "?groups={group}",
    "?groups__name={name}",
    "?groups__isnull=False",
    "?user_permissions__id__exact={permission}",
    "?user_permissions__isnull=False",
    "?password__startswith=md5",
]


def rights_queries():
    group = Group.objects.get(name=STAFF_GROUP)
    permission = Permission.objects.first()
    return [
        q.format(group=group.pk, name=quote(group.name), permission=permission.pk)
        for q in RIGHTS_QUERIES
    ]


def test_staff_cannot_filter_or_sort_accounts_by_rights(staff, superuser, resident):
    superuser.user_permissions.add(Permission.objects.first())
    client = sign_in(Client(), staff)
    for query in rights_queries():
        response = client.get(f"/admin/allas/user/{query}")
        assert response.status_code == 400, query
        assert superuser.email not in response.content.decode(), query
    plain = client.get("/admin/allas/user/").content.decode()
    assert resident.email in plain and superuser.email in plain
    for column in range(8):
        page = client.get(f"/admin/allas/user/?o={column}").content.decode()
        assert "column-is_staff" not in page and "column-is_superuser" not in page
    # What staff may still filter on works.
    page = client.get(f"/admin/allas/user/?is_active__exact=1&q={quote(resident.email)}")
    assert page.status_code == 200 and str(resident) in page.content.decode()


def test_a_superuser_still_filters_and_sorts_accounts_by_rights(superuser, staff, resident):
    client = sign_in(Client(), superuser)
    # (Django's own rules refuse a password filter, and a lookup across a relation without a
    # filter of that name, to everyone.)
    allowed = [q for q in rights_queries() if not q.startswith(("?groups__name", "?password"))]
    for query in allowed:
        assert client.get(f"/admin/allas/user/{query}").status_code == 200, query
    page = client.get("/admin/allas/user/?is_superuser__exact=1").content.decode()
    assert superuser.email in page and resident.email not in page
    assert "column-is_staff" in client.get("/admin/allas/user/?o=3").content.decode()


@pytest.mark.django_db
def test_emails_sent_before_secrets_were_dropped_lose_them_when_the_portal_is_upgraded(
    resident,
):
    """Rows sent by an earlier version still held their links: the data migration drops
    them from sent and given-up rows, and leaves a row still waiting to be sent whole."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("allas.migrations.0008_scrub_sent_outbox_secrets")
    link = "https://allas.vimmerby.se/konto/password/reset/key/4-c9n0r1-0123456789abcdef/"
    rows = {
        status: OutboundEmail.objects.create(
            to=resident.email,
            subject="Nytt lösenord",
            body_text=f"Välj ett nytt lösenord: {link}",
            body_html=f'<a href="{link}">Välj ett nytt lösenord</a>',
            kind="account.password_reset_key",
            status=status,
        )
        for status in ("sent", "failed", "queued")
    }

    migration.scrub_sent_rows(apps, None)

    for status in ("sent", "failed"):
        row = OutboundEmail.objects.get(pk=rows[status].pk)
        stored = row.body_text + row.body_html + str(row.headers) + str(row.attachments)
        assert "0123456789abcdef" not in stored
    waiting = OutboundEmail.objects.get(pk=rows["queued"].pk)
    assert link in waiting.body_text

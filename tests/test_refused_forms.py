"""A refused form keeps what was typed: every form of the portal that can refuse its input
answers with the page again (200, not a redirect), the values back in their fields, the
error next to the field it is about (aria-invalid, and aria-describedby naming the error),
and nothing changed in the database."""

import importlib
import inspect
import pkgutil

import html5lib
import pytest
from django.apps import apps
from django.utils import timezone

from allas.models import Locality, SlusGoal
from groups.models import Membership
from groups.plans import services as plan_services
from proposals import services as proposal_services
from proposals.models import Comment, Proposal
from tests.dialogue_factories import dialogue_meeting
from tests.dialogue_factories import signup as dialogue_signup
from tests.factories import PASSWORD, empty_plan
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
OWN_APPS = ("allas", "groups", "proposals", "meetings", "notifications", "account", "mfa")


def db_state():
    """Every row of the portal's own tables (sessions and the cache aside)."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label in OWN_APPS
    }


class Page:
    """The refused page, parsed, to read fields the way a browser and a screen reader do."""

    def __init__(self, response):
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        assert_valid_html(response.content)
        self.html = response.content.decode()
        self.doc = html5lib.parse(self.html, namespaceHTMLElements=False)
        self.parents = {child: parent for parent in self.doc.iter() for child in parent}

    def by_id(self, element_id):
        found = self.doc.find(f".//*[@id='{element_id}']")
        assert found is not None, f"no element with id {element_id}"
        return found

    def value(self, element_id):
        element = self.by_id(element_id)
        if element.tag == "textarea":
            return (element.text or "").strip("\n")
        if element.tag == "select":
            selected = [o.get("value") for o in element.iter("option") if "selected" in o.attrib]
            return selected[0] if selected else None
        if element.get("type") in ("radio", "checkbox"):
            return "checked" in element.attrib
        return element.get("value")

    def error_of(self, element_id) -> str:
        """The text of the error the field points to: the field says it is invalid and
        names the error (itself, or the fieldset of its group of radios)."""
        element = self.by_id(element_id)
        assert element.get("aria-invalid") == "true", f"{element_id} is not marked invalid"
        names = []
        node = element
        while node is not None:
            names += (node.get("aria-describedby") or "").split()
            node = self.parents.get(node) if node.tag != "fieldset" else None
        texts = []
        for name in names:
            described = self.by_id(name)
            texts.append(" ".join("".join(described.itertext()).split()))
        return " ".join(texts)


@pytest.fixture
def refused(client):
    """Posts as `user`, and checks the page came back and nothing was written."""

    def post(user, path, data):
        if user is not None:
            client.force_login(user)
        before = db_state()
        response = client.post(path, data)
        page = Page(response)
        assert db_state() == before, "a refused form changed the database"
        return page

    return post


def storebro():
    return Locality.objects.get(slug="storebro")


def goal(slug="kontakt"):
    return SlusGoal.objects.get(slug=slug)


# -- the dialogue ------------------------------------------------------------------


def test_proposal_create(refused, resident):
    page = refused(
        resident,
        "/forslag/nytt/",
        {"locality": storebro().pk, "title": "Belysning vid skolan", "body": "   "},
    )
    assert page.value("id_title") == "Belysning vid skolan"
    assert page.value("id_locality") == str(storebro().pk)
    assert "Fyll i fältet" in page.error_of("id_body")


@pytest.fixture
def own_proposal(resident):
    return proposal_services.proposal_create(
        author=resident, locality=storebro(), title="Belysning", body="Mörkt på kvällen."
    )


def test_proposal_edit(refused, resident, own_proposal):
    page = refused(
        resident,
        f"/forslag/{own_proposal.pk}/redigera/",
        {"title": "Ny titel som jag skrev", "body": "x" * 5001},
    )
    assert page.value("id_title") == "Ny titel som jag skrev"
    assert page.value("id_body") == "x" * 5001
    assert "Skriv högst 5000 tecken" in page.error_of("id_body")


def test_status_change_without_an_answer_keeps_the_status(refused, coordinator, own_proposal):
    page = refused(
        coordinator, f"/forslag/{own_proposal.pk}/status/", {"status": "declined", "answer": " "}
    )
    assert page.value("id_status") == "declined"
    assert "Skriv ett offentligt svar" in page.error_of("id_answer")
    assert "Inget ändrades" in page.html


def test_status_change_to_a_status_not_allowed_keeps_the_answer(refused, coordinator, own_proposal):
    page = refused(
        coordinator,
        f"/forslag/{own_proposal.pk}/status/",
        {"status": "done", "answer": "Vi har redan gjort det."},
    )
    assert page.value("id_answer") == "Vi har redan gjort det."
    assert "Välj ett av alternativen" in page.error_of("id_status")


def test_status_change_with_an_action_of_another_ort_keeps_everything(
    refused, coordinator, own_proposal
):
    plan = empty_plan("tuna", year=YEAR)
    plan_services.plan_set_published(plan=plan, published=True, by=None)
    other = plan_services.action_create(plan=plan, goals=[goal()], by=None, title="Tunas")
    page = refused(
        coordinator,
        f"/forslag/{own_proposal.pk}/status/",
        {"status": "accepted", "answer": "Ja, i planen.", "action": other.pk},
    )
    assert page.value("id_status") == "accepted"
    assert page.value("id_answer") == "Ja, i planen."
    assert "Åtgärden måste höra till planen för förslagets ort." in page.html


def test_comment(refused, member, own_proposal):
    page = refused(member, f"/forslag/{own_proposal.pk}/kommentera/", {"body": "x" * 2001})
    assert page.value("new-comment") == "x" * 2001
    assert "Skriv högst 2000 tecken" in page.error_of("new-comment")


def test_a_reply_keeps_its_text_in_its_own_open_form(refused, member, resident, own_proposal):
    comment = proposal_services.comment_create(
        proposal=own_proposal, author=resident, body="Bra idé", parent=None
    )
    page = refused(
        member,
        f"/forslag/{own_proposal.pk}/kommentera/",
        {"body": "y" * 2001, "parent": comment.pk},
    )
    assert page.value(f"reply-{comment.pk}") == "y" * 2001
    assert "Skriv högst 2000 tecken" in page.error_of(f"reply-{comment.pk}")
    assert page.value("new-comment") == ""  # the other form stays empty
    reply_form = page.parents[page.parents[page.by_id(f"reply-{comment.pk}")]]
    assert reply_form.tag == "details" and "open" in reply_form.attrib


def test_comment_edit(refused, resident, own_proposal):
    comment = proposal_services.comment_create(
        proposal=own_proposal, author=resident, body="Bra idé", parent=None
    )
    page = refused(resident, f"/forslag/kommentar/{comment.pk}/redigera/", {"body": "z" * 2001})
    assert page.value("id_body") == "z" * 2001
    assert "Skriv högst 2000 tecken" in page.error_of("id_body")


def test_report(refused, member, own_proposal):
    page = refused(member, f"/forslag/{own_proposal.pk}/anmal/", {"details": "Namn på en granne"})
    assert page.value("id_details") == "Namn på en granne"
    assert "Fyll i fältet" in page.error_of("id_reason_0")


@pytest.mark.parametrize("hidden", ["proposal", "comment"])
def test_moderation(refused, coordinator, resident, own_proposal, hidden):
    if hidden == "proposal":
        Proposal.objects.filter(pk=own_proposal.pk).update(visibility="hidden")
        path, prefix = f"/forslag/{own_proposal.pk}/moderera/", "p"
    else:
        comment = proposal_services.comment_create(
            proposal=own_proposal, author=resident, body="Olämpligt", parent=None
        )
        Comment.objects.filter(pk=comment.pk).update(visibility="hidden")
        path, prefix = f"/forslag/kommentar/{comment.pk}/moderera/", comment.pk
    page = refused(coordinator, path, {"decision": "remove", "reason": "   "})
    assert page.value(f"mod-{prefix}-remove") is True
    assert page.value(f"mod-{prefix}-restore") is False
    assert "Fyll i fältet" in page.error_of(f"mod-{prefix}-reason")


# -- groups and plans --------------------------------------------------------------


def test_join_request(refused, resident):
    page = refused(
        resident,
        "/orter/storebro/bli-medlem/",
        {"sector": "nonsense", "age_band": "30_49", "motivation": "Jag bor här."},
    )
    assert page.value("id_motivation") == "Jag bor här."
    assert page.value("id_age_band") == "30_49"
    assert "Välj ett av alternativen" in page.error_of("id_sector_0")


def test_join_request_decision(refused, coordinator, applicant):
    membership = Membership.objects.get(user=applicant)
    page = refused(
        coordinator,
        f"/orter/storebro/grupp/ansokan/{membership.pk}/",
        {"decision": "approve", "message": "Välkommen! " * 200},
    )
    assert page.value(f"message-{membership.pk}") == "Välkommen! " * 200
    assert "2000" in page.error_of(f"message-{membership.pk}")


def test_member_edit(refused, coordinator, member):
    membership = Membership.objects.get(user=member)
    page = refused(
        coordinator,
        f"/orter/storebro/grupp/medlem/{membership.pk}/",
        {"sector": "business", "age_band": "none", "role": "member", "is_delegate": "on"},
    )
    assert page.value("id_sector") == "business"
    assert page.value("id_is_delegate") is True
    assert "Välj ett av alternativen" in page.error_of("id_age_band")


def test_group_edit(refused, coordinator):
    page = refused(
        coordinator,
        "/orter/storebro/grupp/redigera/",
        {"description": "Vi ses i bygdegården.", "meeting_info": "", "contact_email": "inte"},
    )
    assert page.value("id_description") == "Vi ses i bygdegården."
    assert page.value("id_contact_email") == "inte"
    assert "e-postadress" in page.error_of("id_contact_email")


def test_group_message(refused, coordinator):
    page = refused(
        coordinator,
        "/orter/storebro/grupp/meddelande/",
        {"subject": "Möte på torsdag", "body": "   ", "send": "1"},
    )
    assert page.value("id_subject") == "Möte på torsdag"
    assert "Fyll i fältet" in page.error_of("id_body")


def test_plan_create(refused, coordinator):
    page = refused(
        coordinator,
        "/orter/storebro/plan/ny/",
        {"year": 1999, "needs": "Trygga skolvägar", "goals": [goal().pk]},
    )
    assert page.value("id_year") == "1999"
    assert page.value("id_needs") == "Trygga skolvägar"
    assert page.value(f"id_goals_{goal().number - 1}") is True
    assert "minst 2017" in page.error_of("id_year")


@pytest.fixture
def plan(coordinator):
    plan = empty_plan("storebro", year=YEAR)
    plan_services.action_create(plan=plan, goals=[goal()], by=None, title="Belysning")
    return plan


def test_plan_edit(refused, coordinator, plan):
    page = refused(
        coordinator,
        f"/orter/storebro/plan/{YEAR}/redigera/",
        {"needs": "Nya behov", "goals": ["99999"]},
    )
    assert page.value("id_needs") == "Nya behov"
    assert "Välj ett av alternativen" in page.error_of("id_goals_0")


ACTION_POST = {
    "title": "Cykelväg till skolan",
    "description": "Längs länsvägen",
    "status": "ongoing",
    "responsible": "Gatuavdelningen",
    "progress": "101",
}


def test_action_create(refused, coordinator, plan):
    page = refused(
        coordinator,
        f"/orter/storebro/plan/{YEAR}/atgard/ny/",
        {**ACTION_POST, "goals": [goal().pk]},
    )
    assert page.value("id_title") == "Cykelväg till skolan"
    assert page.value("id_responsible") == "Gatuavdelningen"
    assert page.value("id_progress") == "101"
    assert "högst 100" in page.error_of("id_progress")


def test_action_edit(refused, coordinator, plan):
    action = plan.actions.get()
    page = refused(
        coordinator,
        f"/orter/storebro/plan/{YEAR}/atgard/{action.pk}/",
        {
            **ACTION_POST,
            "progress": "50",
            "goals": [goal().pk],
            "start_date": f"{YEAR}-06-01",
            "end_date": f"{YEAR}-05-01",
        },
    )
    assert page.value("id_title") == "Cykelväg till skolan"
    assert page.value("id_start_date") == f"{YEAR}-06-01"
    assert "Slutdatumet kan inte vara före startdatumet" in page.error_of("id_end_date")


def test_progress_note(refused, coordinator, plan):
    action = plan.actions.get()
    page = refused(
        coordinator,
        f"/orter/storebro/plan/{YEAR}/atgard/{action.pk}/anteckning/",
        {"date": f"{YEAR + 1}-12-31", "text": "Lamporna är beställda"},
    )
    assert page.value(f"note-text-{action.pk}") == "Lamporna är beställda"
    assert page.value(f"note-date-{action.pk}") == f"{YEAR + 1}-12-31"
    assert "kan inte ha ett datum i framtiden" in page.error_of(f"note-date-{action.pk}")
    details = page.parents[page.parents[page.parents[page.by_id(f"note-text-{action.pk}")]]]
    assert details.tag == "details" and "open" in details.attrib


# -- meetings ----------------------------------------------------------------------


@pytest.fixture
def invitation(coordinator, staff):
    from meetings import services as meeting_services
    from meetings.models import Invitation
    from tests.meetings.conftest import make_meeting

    meeting = make_meeting()
    meeting_services.invitations_build(meeting=meeting, by=staff)
    return Invitation.objects.get(meeting=meeting, user=coordinator)


def test_meeting_answer(refused, invitation):
    page = refused(
        None,
        invitation.get_answer_url(),
        {"dietary_needs": "Glutenfri kost", "accessibility_needs": "Hörslinga"},
    )
    assert page.value("id_dietary_needs") == "Glutenfri kost"
    assert page.value("id_accessibility_needs") == "Hörslinga"
    assert "Fyll i fältet" in page.error_of("id_answer_0")


def test_dialogue_signup(refused):
    meeting = dialogue_meeting(asks_food=True)
    page = refused(
        None,
        f"/moten/{meeting.pk}/anmal/",
        {"name": "Gäst Gustavsson", "email": "inte-en-adress", "food_needs": "Vegetariskt"},
    )
    assert page.value("id_name") == "Gäst Gustavsson"
    assert page.value("id_food_needs") == "Vegetariskt"
    assert "e-postadress" in page.error_of("id_email")


def test_dialogue_needs(refused):
    meeting = dialogue_meeting(asks_food=True, asks_access=True)
    seated = dialogue_signup(meeting, food_needs="Nötter")
    page = refused(
        None,
        seated.get_answer_url() + "behov/",
        {"food_needs": "x" * 501, "access_needs": "Hörslinga"},
    )
    assert page.value("id_access_needs") == "Hörslinga"
    assert "500" in page.error_of("id_food_needs")


def test_group_report(refused, coordinator, invitation):
    page = refused(
        coordinator,
        f"/natverksmoten/{invitation.meeting.pk}/rapport/storebro/",
        {"experiences": "  ", "plans": "Fler möten", "wishes": "Mer stöd"},
    )
    assert page.value("id_plans") == "Fler möten"
    assert page.value("id_wishes") == "Mer stöd"
    assert "Fyll i fältet" in page.error_of("id_experiences")


# -- accounts, settings and feedback -----------------------------------------------


def test_profile(refused, resident):
    page = refused(
        resident,
        "/konto/profil/",
        {
            "display_name": "   ",
            "home_locality": storebro().pk,
            "age_band": "30_49",
            "language": "en",
        },
    )
    assert page.value("id_home_locality") == str(storebro().pk)
    assert page.value("id_age_band") == "30_49"
    assert page.error_of("id_display_name")


def test_notification_settings(refused, resident):
    page = refused(
        resident,
        "/konto/notiser/",
        {"new_proposals": "never", "answers": "direct", "comments": "sometimes"},
    )
    assert page.value("id_answers_0") is True  # direct, as chosen
    assert page.value("id_new_proposals_2") is True  # never, as chosen
    assert "Välj ett av alternativen" in page.error_of("id_comments_0")


def test_accessibility_feedback(refused):
    page = refused(
        None,
        "/tillganglighet/",
        {"kind": "problem", "page": "/forslag/", "message": "", "email": "fel"},
    )
    assert page.value("id_page") == "/forslag/"
    assert page.value("id_email") == "fel"
    assert page.error_of("id_message")


def test_signup(refused):
    page = refused(
        None,
        "/konto/signup/",
        {
            "email": "ny@example.se",
            "display_name": "Nyinflyttad",
            "password1": "en-lång-fras-för-allas",
            "password2": "en-annan-fras",
            "age_band": "30_49",
        },
    )
    assert page.value("id_email") == "ny@example.se"
    assert page.value("id_display_name") == "Nyinflyttad"
    assert page.error_of("id_password2")


def test_password_reset(refused):
    page = refused(None, "/konto/password/reset/", {"email": "inte-en-adress"})
    assert page.value("id_email") == "inte-en-adress"
    assert "e-postadress" in page.error_of("id_email")


def test_add_email_address(refused, resident):
    page = refused(resident, "/konto/email/", {"action_add": "", "email": "inte-en-adress"})
    assert page.value("id_email") == "inte-en-adress"
    assert "e-postadress" in page.error_of("id_email")


def test_delete_account(refused, resident):
    page = refused(resident, "/konto/radera/", {"password": "fel lösenord", "confirm": "on"})
    assert page.value("id_confirm") is True
    assert page.error_of("id_password")
    # A password is never sent back into the page.
    assert "fel lösenord" not in page.html
    assert PASSWORD not in page.html


def test_the_forms_of_the_portal_are_all_covered():
    """A new form class gets a test here: the list names every form the portal defines."""
    from django import forms

    # Those modules use this one's Page: imported here, not at the top.
    from tests.meetings.dialogue import test_manage_forms as manage
    from tests.proposals import test_municipal_pages as municipal
    from tests.proposals import test_raised_at_meeting as raised_at_tests

    covered = {
        "allas.forms.SignupForm": test_signup,
        "allas.forms.ProfileForm": test_profile,
        "allas.forms.AccessibilityFeedbackForm": test_accessibility_feedback,
        "allas.forms.DeleteAccountForm": test_delete_account,
        "allas.account_forms.ResetPasswordForm": test_password_reset,
        "allas.account_forms.AddEmailForm": test_add_email_address,
        "groups.forms.JoinForm": test_join_request,
        "groups.forms.MemberForm": test_member_edit,
        "groups.forms.DecisionForm": test_join_request_decision,
        "groups.forms.GroupForm": test_group_edit,
        "groups.message_views.MessageForm": test_group_message,
        "groups.plans.forms.PlanForm": test_plan_edit,
        "groups.plans.forms.PlanCreateForm": test_plan_create,
        "groups.plans.forms.ActionForm": test_action_create,
        "groups.plans.forms.NoteForm": test_progress_note,
        "meetings.forms.AnswerForm": test_meeting_answer,
        "meetings.forms.ReportForm": test_group_report,
        "notifications.forms.SettingsForm": test_notification_settings,
        "proposals.forms.ProposalForm": test_proposal_create,
        "proposals.forms.ProposalEditForm": test_proposal_edit,
        "proposals.forms.StatusForm": test_status_change_without_an_answer_keeps_the_status,
        "proposals.forms.CommentForm": test_comment,
        "proposals.forms.ReportForm": test_report,
        "proposals.forms.ModerationForm": test_moderation,
        "proposals.forms.RaisedAtForm": raised_at_tests.REFUSED_FORM_TEST,
        "proposals.municipal_forms.LiftForm": municipal.LIFT_FORM_TEST,
        "proposals.municipal_forms.RegisterForm": municipal.REGISTER_FORM_TEST,
        "proposals.municipal_forms.DecisionForm": municipal.DECISION_FORM_TEST,
        "meetings.dialogue.public_forms.SignUpForm": test_dialogue_signup,
        "meetings.dialogue.public_forms.NeedsForm": test_dialogue_needs,
        "meetings.dialogue.forms.MeetingForm": manage.test_a_meeting_needs_a_title_and_a_place,
        "meetings.dialogue.forms.CancelForm": (
            manage.test_a_meeting_is_not_cancelled_without_a_reason
        ),
        "meetings.dialogue.forms.HeldForm": manage.test_how_many_came_is_a_number,
        "meetings.dialogue.forms.MinutesForm": manage.test_the_minutes_are_written_and_not_too_long,
    }
    # Not refused in a page of the portal's own: a GET filter (bad values are ignored),
    # the admin's forms, and the
    # second factor's code and passkey forms, whose allauth views keep no typed text (a
    # code or a browser's signature is never sent back).
    elsewhere = {
        "allas.mfa_forms.LoginCodeForm",
        "allas.mfa_forms.ReauthenticateCodeForm",
        "allas.mfa_forms.ActivateAppForm",
        "allas.passkey_forms.AddPasskeyForm",
        "allas.passkey_forms.EditPasskeyForm",
        "allas.passkey_forms.LoginPasskeyForm",
        "proposals.forms.FilterForm",
        "groups.admin.AppointCoordinatorForm",
        "meetings.admin_forms.CancelForm",
        "meetings.forms.MeetingForm",
        "meetings.forms.AgendaItemForm",
        "meetings.forms.GuestForm",
        "meetings.dialogue.admin.DialogueMeetingAdminForm",
        "meetings.dialogue.public_forms.FilterForm",
    }
    found = set()
    for package in ("allas", "groups", "proposals", "meetings", "notifications"):
        for info in pkgutil.walk_packages(
            importlib.import_module(package).__path__, prefix=f"{package}."
        ):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == info.name
                ):
                    found.add(f"{info.name}.{name}")
    assert found == set(covered) | set(elsewhere)

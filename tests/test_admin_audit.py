"""What staff save or delete straight in an admin form is in the audit log like what the
services do: one entry per object, naming the fields and inline rows that changed (never
their values), written only when the form is saved."""

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from allas import audit
from allas.admin.accounts import UserAdmin
from allas.models import AccessibilityFeedback, AuditEvent
from allas.permissions import make_staff_member
from groups.admin import MembershipAdmin
from groups.models import DevelopmentGroup, Membership
from groups.plans.models import Action, Plan
from meetings.models import AgendaItem, NetworkMeeting
from tests.factories import UserFactory
from tests.meetings.conftest import make_meeting
from tests.words import Verb

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """What a browser posts from the page's change form (the one whose id ends in
    "_form"): its inputs, checked boxes, text areas and selected options."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.inside = False
        self.select = self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("id") or "").endswith("_form")
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(attrs["name"], attrs.get("value") or "on")
                return
            self.add(attrs["name"], attrs.get("value") or "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.add(self.textarea, "")
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def change_form(client, url) -> dict:
    """The form on an admin change page, as it would be posted unchanged."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Form()
    parser.feed(response.content.decode())
    # A text area's content starts after the newline Django writes after its tag.
    return {
        name: [value.removeprefix("\n") for value in values]
        if len(values) > 1
        else values[0].removeprefix("\n")
        for name, values in parser.data.items()
    }


def new_events():
    return list(AuditEvent.objects.order_by("id"))


# -- every admin that can change data records it --------------------------------------


# The mixin, or the account admin, which records accounts and rights as their own kinds
# of entry.
AUDITED = (audit.AuditedAdmin, UserAdmin)


def writable_admins(request):
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
    }


def test_every_admin_staff_can_write_through_records_what_is_saved(staff_client, staff):
    request = staff_client.get("/admin/").wsgi_request
    writable = writable_admins(request)
    # The department's own data is among them, so the walk below is not empty.
    for model in [NetworkMeeting, Plan, Action, DevelopmentGroup, Membership]:
        assert model in writable, model
    for model in [AccessibilityFeedback]:
        assert model in writable, model
    unaudited = [
        type(model_admin).__name__
        for model_admin in writable.values()
        if not isinstance(model_admin, AUDITED)
    ]
    assert unaudited == []


def test_every_portal_admin_a_superuser_can_write_through_records_what_is_saved(
    staff_client, staff
):
    make_staff_member(staff, superuser=True)
    request = staff_client.get("/admin/").wsgi_request
    writable = writable_admins(request)
    assert Group in writable
    portal_apps = {"allas", "auth", "groups", "meetings", "proposals", "notifications"}
    unaudited = [
        type(model_admin).__name__
        for model, model_admin in writable.items()
        if model._meta.app_label in portal_apps and not isinstance(model_admin, AUDITED)
    ]
    assert unaudited == []


# -- a network meeting ----------------------------------------------------------------


def meeting_url(meeting):
    return f"/admin/meetings/networkmeeting/{meeting.pk}/change/"


def test_a_meetings_texts_and_minutes_saved_in_the_admin_are_recorded(staff_client, staff):
    meeting = make_meeting(status="held", days_ahead=-2)
    form = change_form(staff_client, meeting_url(meeting))
    # Refused (it would end before it starts): nothing is saved, nothing is recorded.
    refused = {**form, "purpose": "Nytt syfte", "ends_at_1": "07:00"}
    response = staff_client.post(meeting_url(meeting), refused)
    assert "Mötet måste sluta efter att det har börjat." in response.content.decode()
    assert NetworkMeeting.objects.get().purpose == meeting.purpose
    # Saved unchanged: nothing happened, nothing is recorded.
    assert staff_client.post(meeting_url(meeting), form).status_code == 302
    assert new_events() == []

    form.update(purpose="Att lära av varandra.", minutes="§1 Mötet öppnades. Hemligt ord: X9")
    assert staff_client.post(meeting_url(meeting), form).status_code == 302

    [event] = new_events()
    assert (event.verb, event.actor, event.object_type, event.object_id) == (
        Verb.ADMIN_CHANGED,
        staff,
        ContentType.objects.get_for_model(NetworkMeeting),
        meeting.pk,
    )
    assert event.summary == "Ändrade i administrationen: syfte, protokoll."
    assert event.verb_label == "Ändring i administrationen"
    assert "X9" not in event.summary and "lära" not in event.summary


def test_agenda_rows_saved_in_the_admin_are_named_in_the_meetings_entry(staff_client, staff):
    meeting = make_meeting(status="draft")
    AgendaItem.objects.create(meeting=meeting, time=datetime.time(12, 0), title="Lunch")
    form = change_form(staff_client, meeting_url(meeting))
    rows = {form[f"agenda-{n}-title"]: n for n in range(int(form["agenda-INITIAL_FORMS"]))}
    welcome, lunch = rows["Välkommen"], rows["Lunch"]
    form[f"agenda-{welcome}-title"] = "Välkommen och fika"
    form[f"agenda-{lunch}-DELETE"] = "on"
    extra = int(form["agenda-TOTAL_FORMS"]) - 1  # the empty row the admin offers
    form.update({f"agenda-{extra}-time": "10:00", f"agenda-{extra}-title": "Workshop"})
    assert staff_client.post(meeting_url(meeting), form).status_code == 302

    [event] = new_events()
    assert (event.verb, event.object_id, event.actor) == (Verb.ADMIN_CHANGED, meeting.pk, staff)
    assert event.summary == (
        "Lade till punkt på dagordningen ”10.00 Workshop”. "
        "Ändrade punkt på dagordningen ”09.00 Välkommen och fika”: punkt. "
        "Tog bort punkt på dagordningen ”12.00 Lunch”."
    )


def test_a_meeting_added_in_the_admin_is_recorded_once(staff_client, staff):
    from tests.meetings.test_pages_and_admin import meeting_form

    data = meeting_form(
        **{
            "agenda-TOTAL_FORMS": "1",
            "agenda-0-time": "09:00",
            "agenda-0-title": "Välkommen",
        }
    )
    assert staff_client.post("/admin/meetings/networkmeeting/add/", data).status_code == 302
    meeting = NetworkMeeting.objects.get()
    [event] = new_events()
    assert (event.verb, event.object_id, event.actor) == (Verb.ADMIN_ADDED, meeting.pk, staff)
    assert event.summary == (
        "Skapade posten i administrationen. Lade till punkt på dagordningen ”09.00 Välkommen”."
    )


# -- plans, groups, memberships -------------------------------------------------------


def test_a_plan_saved_in_the_admin_is_recorded_for_its_groups_coordinators(staff_client, staff):
    from tests.groups.test_plans import make_plan

    plan = make_plan(actions=1)
    action = plan.actions.get()
    url = f"/admin/groups/plan/{plan.pk}/change/"
    form = change_form(staff_client, url)
    form["needs"] = "Bredband och en mötesplats"
    form["actions-0-progress"] = "70"
    assert staff_client.post(url, form).status_code == 302

    [event] = new_events()
    assert (event.verb, event.object_id, event.actor, event.locality) == (
        Verb.ADMIN_CHANGED,
        plan.pk,
        staff,
        plan.group.locality,
    )
    assert event.summary == (
        "Ändrade i administrationen: ortens behov och prioriteringar. "
        f"Ändrade åtgärd ”{action.title}”: hur långt det har kommit (%)."
    )
    assert audit.events_for_locality(plan.group.locality_id, limit=20) == [event]
    assert Plan.objects.get().needs == "Bredband och en mötesplats"


def test_a_group_page_saved_in_the_admin_is_recorded(staff_client, staff):
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    url = f"/admin/groups/developmentgroup/{group.pk}/change/"
    form = change_form(staff_client, url)
    form["contact_email"] = "grupp@storebro.example"
    assert staff_client.post(url, form).status_code == 302
    [event] = new_events()
    assert (event.verb, event.object_id, event.locality) == (
        Verb.ADMIN_CHANGED,
        group.pk,
        group.locality,
    )
    assert "grupp@storebro.example" not in event.summary
    assert event.summary.startswith("Ändrade i administrationen: ")


def test_a_membership_added_in_the_admin_is_recorded_once_by_its_service(
    staff_client, staff, member
):
    """Adding a membership appoints a coordinator through the service, which records it;
    the admin adds no second entry. Its change form changes nothing, so records nothing."""
    assert isinstance(admin.site._registry[Membership], MembershipAdmin)
    assert isinstance(admin.site._registry[Membership], audit.AuditedAdmin)
    newcomer = UserFactory(display_name="Ny Samordnare")
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    data = {
        "user": newcomer.pk,
        "group": group.pk,
        "sector": "associations",
        "age_band": "30_49",
    }
    assert staff_client.post("/admin/groups/membership/add/", data).status_code == 302
    appointed = Membership.objects.get(user=newcomer)
    [event] = new_events()
    assert (event.verb, event.object_id, event.actor) == (
        Verb.COORDINATOR_APPOINTED,
        appointed.pk,
        staff,
    )
    url = f"/admin/groups/membership/{appointed.pk}/change/"
    assert staff_client.post(url, change_form(staff_client, url)).status_code == 302
    assert new_events() == [event]


# -- deleting, and the list's editable column -----------------------------------------


def test_each_object_deleted_in_the_admin_is_recorded_before_it_goes(staff_client, staff):
    from tests.groups.test_plans import make_plan

    plan = make_plan(actions=2)
    actions = list(plan.actions.order_by("pk"))
    # A delete the admin refuses (a group is never deleted) records nothing.
    group = plan.group
    response = staff_client.post(
        f"/admin/groups/developmentgroup/{group.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert DevelopmentGroup.objects.filter(pk=group.pk).exists()
    assert new_events() == []

    response = staff_client.post(
        "/admin/groups/action/",
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in actions],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Action.objects.exists()
    events = new_events()
    assert [(e.verb, e.object_id, e.object_label, e.locality, e.actor) for e in events] == [
        (Verb.ADMIN_DELETED, a.pk, a.title, plan.group.locality, staff) for a in actions
    ]
    assert {e.summary for e in events} == {"Tog bort posten i administrationen."}

    # One object from its own delete page.
    meeting = make_meeting(status="draft")
    response = staff_client.post(
        f"/admin/meetings/networkmeeting/{meeting.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not NetworkMeeting.objects.exists()
    assert (new_events()[-1].verb, new_events()[-1].object_label) == (
        Verb.ADMIN_DELETED,
        str(meeting),
    )


def test_feedback_marked_handled_in_the_list_is_recorded(staff_client, staff):
    feedback = AccessibilityFeedback.objects.create(kind="barrier", message="Knappen syns inte")
    response = staff_client.post(
        "/admin/allas/accessibilityfeedback/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": feedback.pk,
            "form-0-handled": "on",
            "_save": "Spara",
        },
    )
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().handled
    [event] = new_events()
    assert (event.verb, event.object_id, event.summary) == (
        Verb.ADMIN_CHANGED,
        feedback.pk,
        "Ändrade i administrationen: hanterat.",
    )

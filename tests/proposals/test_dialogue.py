"""The dialogue from proposal to answer: rules, e-mails, history, moderation, bad input."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from allas.models import OutboundEmail
from groups.models import DevelopmentGroup
from groups.plans import services as plan_services
from proposals import services
from proposals.models import Comment, ModerationDecision, Proposal, StatusChange
from tests.concurrency import require_concurrent_database, run_twice_at_once
from tests.factories import UserFactory
from tests.proposals.conftest import make_proposal, snapshot
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db


def storebro_action(title="Belysning längs cykelvägen", slug="storebro"):
    from allas.models import SlusGoal

    group = DevelopmentGroup.objects.get(locality__slug=slug)
    plan = plan_services.plan_create(
        group=group, year=2026, needs="", goals=[], copy_unfinished=False, by=None
    )
    plan_services.plan_set_published(plan=plan, published=True, by=None)
    return plan_services.action_create(
        plan=plan,
        goals=[SlusGoal.objects.get(slug="kontakt")],
        by=None,
        title=title,
        status="ongoing",
        progress=60,
    )


# -- submitting --------------------------------------------------------------------


def test_the_form_says_submissions_are_public_records_before_sending(client, resident):
    client.force_login(resident)
    content = client.get("/forslag/nytt/?ort=sodra-vi").content.decode()
    assert "allmän handling" in content
    assert "Skriv inte personuppgifter om andra" in content
    assert '<option value="' in content and "selected>Södra Vi</option>" in content
    assert_valid_html(content.encode())


def test_a_resident_submits_a_proposal_which_starts_its_history(client, resident):
    client.force_login(resident)
    response = client.post(
        "/forslag/nytt/",
        {
            "locality": DevelopmentGroup.objects.get(locality__slug="sodra-vi").locality_id,
            "title": "  Belysning  på cykelvägen ",
            "body": "Det är mörkt.",
            "goals": [],
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/forslag/{proposal.pk}/"
    assert (proposal.title, proposal.status, proposal.author) == (
        "Belysning på cykelvägen",
        "submitted",
        resident,
    )
    [change] = StatusChange.objects.all()
    assert (change.status, change.answered_as) == ("submitted", "author")


def test_html_and_script_are_stored_as_typed_and_shown_escaped(client, author):
    proposal = make_proposal(
        author, title="<b>Fet</b> idé", body='<script>alert("x")</script>\nLäs https://vimmerby.se'
    )
    proposal.refresh_from_db()
    assert proposal.body.startswith('<script>alert("x")</script>')
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert "&lt;b&gt;Fet&lt;/b&gt; idé" in content
    assert '<a href="https://vimmerby.se" rel="nofollow">https://vimmerby.se</a>' in content
    assert_valid_html(content.encode())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Text"}, "Fyll i fältet."),
        ({"title": "Titel", "body": "   "}, "Fyll i fältet."),
        ({"title": "Titel", "body": "x" * 10000}, "Skriv högst 5000 tecken. Du har skrivit 10000."),
        ({"title": "x" * 151, "body": "Text"}, "Skriv högst 150 tecken."),
        ({"title": "Titel", "body": "Text", "locality": ""}, "Fyll i fältet."),
        ({"title": "Titel", "body": "Text", "goals": ["99"]}, "Välj ett av alternativen"),
    ],
)
def test_bad_proposal_input_is_refused_in_swedish_and_creates_nothing(
    client, resident, data, message
):
    from allas.models import Locality

    client.force_login(resident)
    data = {"locality": Locality.objects.get(slug="tuna").pk, **data}
    response = client.post("/forslag/nytt/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_at_most_five_proposals_a_day(client, resident):
    for n in range(5):
        make_proposal(resident, title=f"Förslag {n}")
    client.force_login(resident)
    from allas.models import Locality

    response = client.post(
        "/forslag/nytt/",
        {"locality": Locality.objects.get(slug="tuna").pk, "title": "Sjätte", "body": "Text"},
    )
    assert "högst 5 förslag per dag" in response.content.decode()
    assert Proposal.objects.count() == 5
    with freeze_time(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        make_proposal(resident, title="Nästa dag")


# -- editing and withdrawing -------------------------------------------------------


def test_the_author_edits_until_the_group_starts_reviewing(client, proposal, author, coordinator):
    client.force_login(author)
    client.post(f"/forslag/{proposal.pk}/redigera/", {"title": "Bättre rubrik", "body": "Mer text"})
    proposal.refresh_from_db()
    assert (proposal.title, proposal.body) == ("Bättre rubrik", "Mer text")
    services.proposal_set_status(proposal=proposal, by=coordinator, status="under_review")
    before = snapshot()
    response = client.post(
        f"/forslag/{proposal.pk}/redigera/", {"title": "Sent", "body": "Sent"}, follow=True
    )
    assert "Gruppen har börjat behandla förslaget" in response.content.decode()
    assert snapshot() == before


def test_the_author_withdraws_until_it_is_decided(proposal, author, coordinator):
    services.proposal_set_status(
        proposal=proposal, by=coordinator, status="declined", answer="Det finns redan belysning."
    )
    with pytest.raises(services.ProposalError, match="avgjort"):
        services.proposal_withdraw(proposal=proposal, by=author)
    other = make_proposal(author, title="Annat")
    services.proposal_withdraw(proposal=other, by=author)
    other.refresh_from_db()
    assert other.status == "withdrawn"


# -- answers -----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["accepted", "declined"])
def test_a_final_status_needs_a_public_answer(client, proposal, coordinator, status):
    client.force_login(coordinator)
    before = snapshot()
    response = client.post(
        f"/forslag/{proposal.pk}/status/", {"status": status, "answer": "  "}, follow=True
    )
    assert "Skriv ett offentligt svar" in response.content.decode()
    assert snapshot() == before


def test_a_status_the_proposal_cannot_move_to_is_refused(client, proposal, coordinator):
    client.force_login(coordinator)
    before = snapshot()
    response = client.post(
        f"/forslag/{proposal.pk}/status/", {"status": "done", "answer": "Klart"}, follow=True
    )
    assert "Inget ändrades" in response.content.decode()
    assert snapshot() == before


def test_each_status_change_emails_the_author_and_supporters_as_they_chose(
    client, proposal, author, supporter, coordinator, django_capture_on_commit_callbacks
):
    """The author must hear; supporters follow the proposal and hear as they chose."""
    from notifications.models import Notice
    from notifications.preferences import settings_save

    second = UserFactory(language="en")
    services.support_toggle(proposal=proposal, user=second)
    settings_save(user=second, choices={"answers": "direct"})
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/forslag/{proposal.pk}/status/", {"status": "under_review", "answer": ""})
    assert sorted(m.to[0] for m in mail.outbox) == sorted([author.email, second.email])
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "Behandlas" in by_to[author.email].subject
    assert "Ditt förslag" in by_to[author.email].body
    assert "Under review" in by_to[second.email].subject  # in the supporter's language
    # The supporter on the default hears of it in the weekly digest.
    assert Notice.objects.filter(user=supporter, event="proposal_status").exists()


def test_accepting_links_an_action_and_the_history_shows_the_group(client, proposal, coordinator):
    action = storebro_action()
    client.force_login(coordinator)
    client.post(
        f"/forslag/{proposal.pk}/status/",
        {"status": "accepted", "answer": "Vi tar med det i planen.", "action": action.pk},
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.action) == ("accepted", action)
    client.logout()
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert "Vi tar med det i planen." in content
    assert "· Utvecklingsgruppen i Storebro" in content
    assert coordinator.display_name not in content
    assert "Belysning längs cykelvägen" in content and "60 % klart" in content


def test_staff_answer_in_their_own_name_for_the_municipality(client, proposal, staff):
    client.force_login(staff)
    client.post(f"/forslag/{proposal.pk}/status/", {"status": "declined", "answer": "Nej."})
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert f"{staff.display_name}, Vimmerby kommun" in content


def test_an_action_of_another_ort_by_forged_id_is_refused(client, proposal, coordinator):
    other = storebro_action(slug="tuna", title="Tunas åtgärd")
    client.force_login(coordinator)
    before = snapshot()
    response = client.post(
        f"/forslag/{proposal.pk}/status/",
        {"status": "accepted", "answer": "Ja", "action": other.pk},
        follow=True,
    )
    assert "Åtgärden måste höra till planen för förslagets ort." in response.content.decode()
    assert snapshot() == before


def test_a_coordinator_cannot_answer_another_orts_proposal_by_forged_id(
    client, author, other_coordinator
):
    proposal = make_proposal(author)  # Storebro; the coordinator is Södra Vi's
    client.force_login(other_coordinator)
    before = snapshot()
    assert (
        client.post(
            f"/forslag/{proposal.pk}/status/", {"status": "declined", "answer": "Nej"}
        ).status_code
        == 403
    )
    assert snapshot() == before


def test_the_whole_history_is_shown_in_order(client, proposal, coordinator):
    services.proposal_set_status(proposal=proposal, by=coordinator, status="under_review")
    services.proposal_set_status(proposal=proposal, by=coordinator, status="accepted", answer="Ja!")
    services.proposal_set_status(proposal=proposal, by=coordinator, status="done", answer="Klart.")
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    history = content.split('class="list-unstyled history"')[1].split("</ol>")[0]
    positions = [history.index(s) for s in ["Inkommet", "Behandlas", "Antaget", "Genomfört"]]
    assert positions == sorted(positions)


# -- supports ----------------------------------------------------------------------


def test_support_toggles_and_is_counted_once(client, proposal, resident):
    client.force_login(resident)
    client.post(f"/forslag/{proposal.pk}/stod/")
    proposal.refresh_from_db()
    assert proposal.support_count == 2
    client.post(f"/forslag/{proposal.pk}/stod/")
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert not proposal.supports.filter(user=resident).exists()


def test_supporting_twice_at_once_counts_once(proposal, resident):
    from proposals.models import Support

    Support.objects.create(proposal=proposal, user=resident)
    # A second insert for the same person is refused by the database.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, user=resident)


def test_the_author_cannot_support_their_own_proposal(proposal, author):
    with pytest.raises(services.ProposalError):
        services.support_toggle(proposal=proposal, user=author)


def test_support_works_with_htmx_returning_the_button(client, proposal, resident):
    client.force_login(resident)
    response = client.post(f"/forslag/{proposal.pk}/stod/", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="support-{proposal.pk}"' in content and "Ta tillbaka mitt stöd" in content
    assert "2 personer stödjer förslaget" in content


# -- comments ----------------------------------------------------------------------


def test_replies_are_one_level_deep(proposal, supporter, resident):
    top = services.comment_create(proposal=proposal, author=supporter, body="Bra!")
    reply = services.comment_create(proposal=proposal, author=resident, body="Ja!", parent=top)
    reply_to_reply = services.comment_create(
        proposal=proposal, author=supporter, body="Visst", parent=reply
    )
    assert reply.parent == top and reply_to_reply.parent == top
    proposal.refresh_from_db()
    assert proposal.comment_count == 3


def test_the_author_edits_a_comment_within_15_minutes_only(client, proposal, supporter):
    comment = services.comment_create(proposal=proposal, author=supporter, body="Först")
    client.force_login(supporter)
    client.post(f"/forslag/kommentar/{comment.pk}/redigera/", {"body": "Ändrad"})
    comment.refresh_from_db()
    assert comment.body == "Ändrad" and comment.edited_at
    with freeze_time(comment.created_at + datetime.timedelta(minutes=16)):
        response = client.post(
            f"/forslag/kommentar/{comment.pk}/redigera/", {"body": "För sent"}, follow=True
        )
    assert "inom 15 minuter" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Ändrad"


def test_a_deleted_comment_shows_that_it_was_removed(client, proposal, supporter):
    comment = services.comment_create(proposal=proposal, author=supporter, body="Hemligt")
    client.force_login(supporter)
    client.post(f"/forslag/kommentar/{comment.pk}/ta-bort/")
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert "Kommentaren är borttagen" in content and "Hemligt" not in content
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == "Hemligt"  # kept as a public record


@pytest.mark.parametrize("state", ["declined", "hidden"])
def test_commenting_on_a_decided_or_hidden_proposal_is_refused(
    client, proposal, coordinator, supporter, state
):
    if state == "declined":
        services.proposal_set_status(
            proposal=proposal, by=coordinator, status="declined", answer="Nej"
        )
    else:
        Proposal.objects.filter(pk=proposal.pk).update(visibility="hidden")
    client.force_login(supporter)
    before = snapshot()
    response = client.post(f"/forslag/{proposal.pk}/kommentera/", {"body": "Sent"})
    assert response.status_code in (302, 404)
    assert snapshot() == before


def test_at_most_30_comments_an_hour(proposal, supporter):
    Comment.objects.bulk_create(
        Comment(proposal=proposal, author=supporter, body=f"{n}") for n in range(30)
    )
    with pytest.raises(services.ProposalError, match="högst 30 kommentarer i timmen"):
        services.comment_create(proposal=proposal, author=supporter, body="En till")


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_a_bad_comment_is_refused_and_changes_nothing(client, proposal, supporter, body):
    client.force_login(supporter)
    before = snapshot()
    response = client.post(f"/forslag/{proposal.pk}/kommentera/", {"body": body}, follow=True)
    assert "Kommentaren sparades inte" in response.content.decode()
    assert snapshot() == before


# -- reports and moderation --------------------------------------------------------


def test_the_first_report_emails_the_orts_coordinators_and_staff(
    proposal, coordinator, other_coordinator, staff, resident
):
    services.report_create(reporter=resident, proposal=proposal, reason="offensive")
    recipients = set(
        OutboundEmail.objects.filter(kind="proposals.reported").values_list("to", flat=True)
    )
    assert recipients == {coordinator.email, staff.email}
    services.report_create(reporter=UserFactory(), proposal=proposal, reason="offensive")
    assert OutboundEmail.objects.filter(kind="proposals.reported").count() == 2  # no more


def test_three_reports_from_different_people_hide_the_item_until_a_moderator_decides(
    client, proposal, supporter, coordinator
):
    comment = services.comment_create(proposal=proposal, author=supporter, body="Olämpligt")
    reporters = UserFactory.create_batch(3)
    for n, reporter in enumerate(reporters):
        services.report_create(reporter=reporter, comment=comment, reason="offensive")
        comment.refresh_from_db()
        assert comment.visibility == ("hidden" if n == 2 else "visible")
    with pytest.raises(services.ProposalError, match="redan anmält"):
        services.report_create(reporter=reporters[0], comment=comment, reason="spam")
    assert "Olämpligt" not in client.get(f"/forslag/{proposal.pk}/").content.decode()

    client.force_login(coordinator)
    assert "Olämpligt" in client.get(f"/forslag/{proposal.pk}/").content.decode()
    client.post(
        f"/forslag/kommentar/{comment.pk}/moderera/",
        {"decision": "restore", "reason": "Skarpt men inom reglerna."},
    )
    comment.refresh_from_db()
    assert comment.visibility == "visible"
    decision = ModerationDecision.objects.get()
    assert (decision.decision, decision.moderator, decision.reason) == (
        "restore",
        coordinator,
        "Skarpt men inom reglerna.",
    )


def test_a_moderator_removes_a_proposal_with_a_reason(client, proposal, staff):
    Proposal.objects.filter(pk=proposal.pk).update(visibility="hidden")
    client.force_login(staff)
    response = client.post(
        f"/forslag/{proposal.pk}/moderera/", {"decision": "remove", "reason": ""}
    )
    proposal.refresh_from_db()
    assert proposal.visibility == "hidden"  # no reason, no decision
    client.post(
        f"/forslag/{proposal.pk}/moderera/", {"decision": "remove", "reason": "Personuppgifter"}
    )
    proposal.refresh_from_db()
    assert proposal.visibility == "removed"
    client.logout()
    assert client.get(f"/forslag/{proposal.pk}/").status_code == 404
    # Refused, the page comes again with the decision kept and the error at the reason.
    assert response.status_code == 200


def test_a_coordinator_of_another_ort_cannot_moderate(client, proposal, other_coordinator):
    Proposal.objects.filter(pk=proposal.pk).update(visibility="hidden")
    client.force_login(other_coordinator)
    before = snapshot()
    response = client.post(
        f"/forslag/{proposal.pk}/moderera/", {"decision": "restore", "reason": "Ok"}
    )
    assert response.status_code == 403
    assert snapshot() == before


# -- reminders ---------------------------------------------------------------------


def test_a_proposal_submitted_30_days_ago_gets_one_reminder(proposal, coordinator, staff):
    assert services.send_due_reminders() == 0
    later = timezone.now() + datetime.timedelta(days=30, minutes=1)
    assert services.send_due_reminders(now=later) == 1
    assert services.send_due_reminders(now=later) == 0
    reminders = OutboundEmail.objects.filter(kind="proposals.reminder")
    assert sorted(reminders.values_list("to", flat=True)) == sorted(
        [coordinator.email, staff.email]
    )


def test_an_answered_proposal_gets_no_reminder(proposal, coordinator):
    services.proposal_set_status(proposal=proposal, by=coordinator, status="under_review")
    later = timezone.now() + datetime.timedelta(days=31)
    assert services.send_due_reminders(now=later) == 0


@pytest.mark.django_db(transaction=True)
def test_the_reminder_job_run_twice_at_the_same_time_sends_each_reminder_once(settings):
    require_concurrent_database()
    author = UserFactory()
    coordinator = UserFactory()
    from tests.factories import membership

    membership(coordinator, role="coordinator")
    for n in range(20):
        make_proposal(author if n < 5 else UserFactory(), title=f"Förslag {n}")
    later = timezone.now() + datetime.timedelta(days=31)
    results = run_twice_at_once(lambda: services.send_due_reminders(now=later))
    assert sum(results) == 20
    reminders = OutboundEmail.objects.filter(kind="proposals.reminder", to=coordinator.email)
    assert reminders.count() == 20
    assert reminders.values("dedup_key").distinct().count() == 20


def test_overdue_proposals_are_listed_for_the_coordinators(client, proposal, coordinator):
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    client.force_login(coordinator)
    content = client.get("/forslag/att-besvara/").content.decode()
    overdue = content.split("Har väntat mer än 30 dagar")[1].split("</section>")[0]
    assert proposal.title in overdue


# -- feeds -------------------------------------------------------------------------


def test_atom_feeds_for_all_and_per_ort(client, author):
    make_proposal(author, slug="storebro", title="I Storebro")
    make_proposal(author, slug="tuna", title="I Tuna")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for path, titles in [
        ("/forslag/atom/", {"I Storebro", "I Tuna"}),
        ("/forslag/atom/tuna/", {"I Tuna"}),
    ]:
        response = client.get(path)
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        entries = root.findall("a:entry", ns)
        assert {e.find("a:title", ns).text.split(" (")[0] for e in entries} == titles
    assert client.get("/forslag/atom/finns-inte/").status_code == 404

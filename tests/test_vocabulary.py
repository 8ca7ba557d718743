"""Each app's words: the verbs of the audit log, the kinds of e-mail in the outbox and the
kinds of notice are defined by the app that uses them and labelled by the core from the
registry (allas.vocabulary), so no stored word loses its label."""

import sys
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from allas import audit, vocabulary
from allas.models import AuditEvent
from tests.factories import UserFactory, give_second_factor

# Every verb the log held before the apps took their words back, with its label: an entry
# written then must read the same now.
STORED_VERBS = {
    "membership.approved": "Join request approved",
    "membership.declined": "Join request declined",
    "membership.removed": "Member removed",
    "membership.updated": "Member details changed",
    "coordinator.appointed": "Coordinator appointed",
    "coordinator.unappointed": "Coordinator role ended",
    "group.edited": "Group page changed",
    "group.message_sent": "Message to the group sent",
    "plan.created": "Plan created",
    "plan.updated": "Plan changed",
    "plan.published": "Plan published",
    "plan.unpublished": "Plan made a draft",
    "action.created": "Action added",
    "action.updated": "Action changed",
    "action.closed": "Action marked as done",
    "action.moved": "Action moved",
    "action.note_added": "Note added to an action",
    "proposal.status_changed": "Proposal status changed",
    "proposal.moderated": "Moderation decision",
    "meeting.published": "Meeting published",
    "meeting.changed": "Meeting time or place changed",
    "meeting.cancelled": "Meeting cancelled",
    "meeting.held": "Meeting marked as held",
    "meeting.minutes_published": "Minutes published",
    "meeting.invitations_built": "Invitation list made",
    "meeting.invitations_sent": "Invitations sent",
    "meeting.guest_invited": "Guest invited",
    "meeting.reminders_sent": "Reminder sent",
    "meeting.network_roles_changed": "Network roles changed",
    "meeting.report_submitted": "Group report sent",
    "account.changed": "Account changed",
    "account.rights_changed": "Rights changed",
    "account.deleted": "Account deleted",
    "admin.added": "Added in the admin",
    "admin.changed": "Changed in the admin",
    "admin.deleted": "Deleted in the admin",
}

# Every kind of e-mail the outbox held then.
STORED_EMAIL_KINDS = {
    "account.email_confirmation": "Confirm the e-mail address",
    "account.email_confirmation_signup": "Confirm the e-mail address",
    "account.email_confirm": "E-mail address confirmed",
    "account.email_changed": "E-mail address changed",
    "account.email_deleted": "E-mail address removed",
    "account.email_added": "E-mail address added",
    "account.account_already_exists": "Account already exists",
    "account.unknown_account": "No account with the address",
    "account.login_code": "Log-in code",
    "account.password_reset_key": "Link for a new password",
    "account.password_reset_code": "Code for a new password",
    "account.password_reset": "Password changed",
    "account.password_changed": "Password changed",
    "account.password_set": "Password changed",
    "account.totp_activated": "Two-step verification on",
    "account.totp_deactivated": "Two-step verification off",
    "account.recovery_codes_generated": "New recovery codes",
    "account.recovery_code_used": "Recovery code used to log in",
    "account.webauthn_added": "Passkey added",
    "account.webauthn_removed": "Passkey removed",
    "meetings.invitation": "Network meeting: invitation",
    "meetings.confirmation": "Network meeting: confirmation",
    "meetings.update": "Network meeting: new time or place",
    "meetings.cancelled": "Network meeting: cancelled",
    "meetings.minutes": "Network meeting: minutes",
    "meetings.reminder": "Network meeting: reminder",
    "proposals.status_changed": "Proposal: new status",
    "proposals.reported": "Proposal or comment reported",
    "proposals.reminder": "Proposal waiting for an answer",
    "groups.join_request": "Request to join a group",
    "groups.join_decision": "Decision on joining a group",
    "accessibility.feedback": "Accessibility report",
    "notifications.new_proposals": "Notice: new proposals",
    "notifications.answers": "Notice: answers to proposals",
    "notifications.comments": "Notice: comments",
    "notifications.plans": "Notice: development plans",
    "notifications.meetings": "Notice: network meetings",
    "notifications.group_messages": "Message from a group",
    "notifications.digest": "Weekly summary",
}


def test_every_verb_stored_before_reads_in_words_and_has_a_summary():
    with translation.override("en"):
        assert {verb: vocabulary.verb_label(verb) for verb in STORED_VERBS} == STORED_VERBS
        for verb in STORED_VERBS:
            assert str(vocabulary.audit_summary(verb))
    with translation.override("sv"):
        swedish = {verb: vocabulary.verb_label(verb) for verb in STORED_VERBS}
    assert not set(swedish.values()) & set(STORED_VERBS.values())


def test_every_kind_of_e_mail_stored_before_reads_in_words():
    with translation.override("en"):
        labels = {kind: vocabulary.email_kind_label(kind) for kind in STORED_EMAIL_KINDS}
        assert labels == STORED_EMAIL_KINDS
        # A kind an app adds later reads by its app; an unknown one says so.
        assert vocabulary.email_kind_label("meetings.something_new") == "Meetings"
        assert vocabulary.email_kind_label("nobody.knows") == "Other e-mail"


def test_each_app_defines_its_own_words_and_the_core_only_its_own():
    import allas.words
    import groups.words
    import meetings.words
    import proposals.words

    assert {v.split(".")[0] for v in allas.words.AuditVerb.values} == {"account", "admin"}
    assert {v.split(".")[0] for v in proposals.words.AuditVerb.values} == {"proposal"}
    assert {v.split(".")[0] for v in meetings.words.AuditVerb.values} == {"meeting"}
    assert {k.split(".")[0] for k in allas.words.EMAIL_KINDS} == {"account", "accessibility"}
    assert list(vocabulary.notice_kinds()) == [
        *proposals.words.NoticeKind.values,
        *groups.words.NoticeKind.values,
        *meetings.words.NoticeKind.values,
    ]


def test_a_word_two_apps_define_is_refused_at_start():
    twice = override_settings(VOCABULARY_MODULES=["groups.words", "groups.words"])
    with twice, pytest.raises(ImproperlyConfigured, match="membership.approved"):
        vocabulary.vocabulary()


def test_a_verb_without_a_summary_is_refused_at_start(monkeypatch):
    words = ModuleType("words_without_summary")

    class AuditVerb(models.TextChoices):
        SILENT = "silent.act", "Silent act"

    words.AuditVerb = AuditVerb
    monkeypatch.setitem(sys.modules, "words_without_summary", words)
    silent = override_settings(VOCABULARY_MODULES=["words_without_summary"])
    with silent, pytest.raises(ImproperlyConfigured, match="silent.act"):
        vocabulary.vocabulary()


@pytest.mark.django_db
def test_an_unknown_verb_writes_no_entry():
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValueError):
        audit.record(actor=staff, verb="plan.burnt", obj=None)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_entry_stored_before_reads_in_swedish_in_the_audit_log_and_its_filter(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    give_second_factor(staff)
    AuditEvent.objects.create(actor=staff, verb="plan.published", summary="Publicerade planen.")
    client.force_login(staff)
    page = client.get(reverse("admin:allas_auditevent_changelist")).content.decode()
    with translation.override("sv"):
        label = vocabulary.verb_label("plan.published")
    assert label != "Plan published"
    assert page.count(label) >= 2  # the entry's column and the filter's choice
    filtered = client.get(
        reverse("admin:allas_auditevent_changelist"), {"verb": "plan.published"}
    ).content.decode()
    assert "Publicerade planen." in filtered
    other = client.get(
        reverse("admin:allas_auditevent_changelist"), {"verb": "plan.created"}
    ).content.decode()
    assert "Publicerade planen." not in other

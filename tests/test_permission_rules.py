"""Every rule about who may do what has one home: `allas/permissions.py` says who is staff
and who is a verified resident, each app's `permissions.py` says the rest. No view, admin
class, form, service, task or command reads the rights fields or the verified e-mail
address itself, so a rule changed in its function is changed everywhere.

The source is read as text; ruff's formatting (`name=value` for a keyword argument,
`name = value` for an assignment) keeps the patterns exact."""

import re
from pathlib import Path

import pytest

from allas import permissions as core
from groups import permissions as group_rules
from groups.plans import permissions as plan_rules
from meetings import permissions as meeting_rules
from proposals import permissions as proposal_rules
from tests.factories import UserFactory, give_second_factor, membership, signed_in

ROOT = Path(__file__).resolve().parent.parent
APPS = ["allas", "groups", "proposals", "meetings", "notifications"]

# (what it finds, the pattern). Quoted field names ("is_staff" in the admin's fieldsets,
# the manager's setdefault) name the field; they check nothing and do not match.
FORBIDDEN = [
    ("reads is_staff or is_superuser", re.compile(r"\.is_(staff|superuser)\b")),
    (
        "filters or sets is_staff or is_superuser",
        re.compile(r"(?<!\w)is_(staff|superuser)(__\w+)?=(?!=)"),
    ),
    ("asks for the staff group by name", re.compile(r"groups__name|groups\.filter\(name")),
    (
        "reads allauth's e-mail addresses",
        re.compile(r"EmailAddress\.objects\.(filter|get|exclude)\("),
    ),
    ("follows the e-mail address relation", re.compile(r"emailaddress(_set|__)", re.IGNORECASE)),
    ("filters on a verified address", re.compile(r"(?<!\w)verified(__\w+)?=True")),
    ("reads an address's verified flag", re.compile(r"\.verified\b")),
]


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if path.name == "permissions.py" or "migrations" in relative.parts:
                continue
            yield relative


def hits(text):
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in FORBIDDEN:
            if pattern.search(line):
                yield number, what, line.strip()


def test_the_scan_reads_every_app_and_skips_only_permissions_and_migrations():
    modules = {str(p) for p in app_modules()}
    for expected in [
        "allas/admin/accounts.py",
        "allas/middleware.py",
        "groups/views.py",
        "groups/plans/views.py",
        "groups/plans/followup.py",
        "proposals/services/proposals.py",
        "meetings/admin.py",
        "meetings/views.py",
        "notifications/views.py",
    ]:
        assert expected in modules
    assert not any(m.endswith("permissions.py") or "/migrations/" in m for m in modules)


@pytest.mark.parametrize(
    "line",
    [
        "    if not request.user.is_staff:",
        "        return request.user.is_superuser",
        "    return User.objects.filter(is_active=True, is_staff=True)",
        "        STAFF_EMAIL, 'x', is_staff=True, is_superuser=True",
        "    staff = User.objects.filter(groups__name=STAFF_GROUP)",
        "    if not EmailAddress.objects.filter(user=user, verified=True).exists():",
        "    return user.emailaddress_set.filter(primary=True).exists()",
        "    Proposal.objects.filter(author__emailaddress__verified=True)",
        "    return address.verified",
    ],
)
def test_the_patterns_find_a_check_written_outside_the_rules(line):
    assert list(hits(line)), line


@pytest.mark.parametrize(
    "line",
    [
        'RIGHTS_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")',
        '        extra_fields.setdefault("is_staff", False)',
        '    is_staff = models.BooleanField(_("staff status"), default=False)',
        "    if not permissions.can_support(user, proposal, verified=permissions.can_propose(u)):",
        "            email, is_active=True, prefer_verified=True, for_login=True",
        '        user=user, email=email, defaults={"verified": True, "primary": True}',
    ],
)
def test_the_patterns_leave_field_names_and_the_rules_own_calls_alone(line):
    assert not list(hits(line)), line


def test_no_app_module_checks_rights_or_verified_addresses_itself():
    found = [
        f"{path}:{number}: {what}: {line}"
        for path in app_modules()
        for number, what, line in hits((ROOT / path).read_text())
    ]
    assert found == [], "Call a function of a permissions module instead:\n" + "\n".join(found)


# -- the functions themselves, as the design defines them ---------------------------


@pytest.mark.django_db
def test_staff_are_is_staff_and_in_utvecklingsavdelningen_or_a_superuser(staff):
    """Signed in with the second factor (tests/test_staff_second_factor.py shows a session
    without it has no staff right)."""
    outsider = UserFactory(is_staff=True)  # staff status without the department's group
    superuser = UserFactory(is_superuser=True)
    inactive = UserFactory(is_staff=True, is_active=False)
    core.make_staff_member(inactive)
    for user in (outsider, superuser, inactive):
        give_second_factor(user)
    assert core.is_staff_member(signed_in(staff))
    assert core.is_staff_member(signed_in(superuser))
    assert not core.is_staff_member(signed_in(outsider))
    assert not core.is_staff_account(inactive)
    assert set(core.staff_members()) == {staff, superuser}
    core.make_staff_member(outsider)
    assert core.is_staff_member(signed_in(outsider))
    assert set(core.staff_members()) == {staff, superuser, outsider}


@pytest.mark.django_db
def test_an_is_staff_account_outside_the_department_has_no_staff_rights(client):
    from groups.models import DevelopmentGroup

    outsider = UserFactory(is_staff=True)
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    assert not group_rules.can_manage_group(outsider, group)
    assert not plan_rules.can_follow_up_plans(outsider)
    assert proposal_rules.answerable_locality_ids(outsider) == set()
    assert not meeting_rules.can_run_meetings(outsider)
    client.force_login(outsider)
    assert client.get("/orter/storebro/grupp/").status_code == 403
    assert client.get("/uppfoljning/").status_code == 403


@pytest.mark.django_db
def test_a_resident_is_signed_in_with_a_verified_address(resident, unverified, client):
    from django.contrib.auth.models import AnonymousUser

    assert core.is_verified_resident(resident)
    assert not core.is_verified_resident(unverified)
    assert not core.is_verified_resident(AnonymousUser())


@pytest.mark.django_db
def test_one_answer_to_which_groups_a_person_coordinates(coordinator, other_coordinator, member):
    from groups.models import Membership

    both = UserFactory()
    membership(both, role="coordinator")
    membership(both, slug="tuna", role="coordinator")
    membership(both, slug="pelarne", status="pending")
    assert [g.locality.slug for g in group_rules.coordinated_groups(coordinator)] == ["storebro"]
    assert sorted(g.locality.slug for g in group_rules.coordinated_groups(both)) == [
        "storebro",
        "tuna",
    ]
    assert not group_rules.coordinated_groups(member).exists()
    # The dialogue and the network meeting ask the same function.
    assert proposal_rules.answerable_locality_ids(both) == {
        g.locality_id for g in group_rules.coordinated_groups(both)
    }
    assert set(meeting_rules.report_groups(both)) == set(group_rules.coordinated_groups(both))
    # A coordinator who left coordinates nothing.
    Membership.objects.filter(user=other_coordinator).update(status="left")
    assert not group_rules.coordinated_groups(other_coordinator).exists()


@pytest.mark.django_db
def test_the_last_coordinator_rule_is_one_function(coordinator):
    from groups import personal_data, services
    from groups.models import Membership

    mine = Membership.objects.get(user=coordinator)
    assert group_rules.is_last_coordinator(mine)
    assert personal_data.refuse_erase(coordinator)
    with pytest.raises(services.GroupError):
        services.membership_leave(membership=mine, by=coordinator)
    second = UserFactory()
    membership(second, role="coordinator")
    assert not group_rules.is_last_coordinator(mine)
    assert personal_data.refuse_erase(coordinator) is None


def test_no_template_checks_rights_itself():
    """Templates get the rules from the context processor (is_staff_member,
    needs_second_factor) or from their view."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.is_(staff|superuser)\b|emailaddress|\.verified\b", line, re.IGNORECASE)
    ]
    assert found == [], "\n".join(found)


@pytest.mark.django_db
def test_the_follow_up_link_is_shown_to_staff_of_the_department_only(
    client, staff, staff_without_second_factor, staff_session_without_second_factor
):
    outsider = UserFactory(is_staff=True)
    client.force_login(outsider)
    assert 'href="/uppfoljning/"' not in client.get("/").content.decode()
    # Nor to staff whose session has not passed the second factor.
    client.force_login(staff_without_second_factor)
    assert 'href="/uppfoljning/"' not in client.get("/").content.decode()
    client.force_login(staff_session_without_second_factor, second_factor=False)
    assert 'href="/uppfoljning/"' not in client.get("/").content.decode()
    client.force_login(staff)
    assert 'href="/uppfoljning/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_admin_opens_for_staff_of_the_department_only(client, staff):
    from django.contrib.auth.models import Permission

    from tests.factories import PASSWORD, give_second_factor

    # is_staff, a second factor and permissions given one by one: still not staff.
    outsider = UserFactory(is_staff=True)
    outsider.user_permissions.add(*Permission.objects.all())
    give_second_factor(outsider)
    client.force_login(outsider)
    for path in ("/admin/", "/admin/allas/user/", "/admin/groups/membership/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    # Nor does the admin's own password form let them sign in as someone else.
    assert client.get("/admin/login/").status_code == 403
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 403
    assert client.session["_auth_user_id"] == str(outsider.pk)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_without_a_second_factor_are_sent_to_set_it_up_and_outsiders_are_not(client):
    from django.contrib.auth.models import Group

    outsider = UserFactory(is_staff=True)
    client.force_login(outsider)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    outsider.groups.add(Group.objects.get(name="Utvecklingsavdelningen"))
    client.force_login(outsider)
    assert client.get("/admin/")["Location"] == "/konto/2fa/"
    # With a second factor this session has not passed: type its code first.
    give_second_factor(outsider)
    assert client.get("/admin/")["Location"] == "/konto/2fa/reauthenticate/?next=%2Fadmin%2F"

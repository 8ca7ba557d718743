"""The admin is the portal's own site, installed the Django way (allas.apps.
PortalAdminConfig): its door, its login and its names are the class's, and no module sets
an attribute of `admin.site` at run time."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from allas.admin_choices import ChoicesInWords, PortalAdmin
from allas.admin_site import PortalAdminSite
from tests.factories import UserFactory, give_second_factor

ROOT = Path(__file__).resolve().parent.parent
APPS = ["allas", "notifications", "groups", "proposals", "meetings"]

SETS_A_SITE_ATTRIBUTE = re.compile(r"\badmin\.site\.\w+\s*=(?!=)|setattr\(\s*admin\.site\b")


def test_the_admin_site_is_the_portals():
    # `admin.site` is a lazy object standing in for the site; it answers for its class.
    assert admin.site.__class__ is PortalAdminSite


def test_the_sites_door_and_login_are_its_class_own():
    # A bound method whose function is the class's: nothing replaced it on the instance.
    assert admin.site.has_permission.__func__ is PortalAdminSite.has_permission
    assert admin.site.login.__func__ is PortalAdminSite.login
    assert admin.site.site_header == PortalAdminSite.site_header


@pytest.mark.django_db
def test_the_door_is_the_one_check_for_every_models_admin(client, staff):
    # Model permissions given to someone outside the department count for nothing, in
    # any app's admin: the site turns them away before a model's admin is asked.
    outsider = UserFactory(is_staff=True)
    outsider.user_permissions.add(*Permission.objects.all())
    give_second_factor(outsider)
    pages = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    client.force_login(outsider)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/admin/login/"), page
    client.force_login(staff)
    assert client.get(reverse("admin:meetings_networkmeeting_changelist")).status_code == 200


@pytest.mark.parametrize(
    "line",
    [
        'admin.site.site_header = _("Allas")',
        "    admin.site.has_permission = lambda request: True",
        "admin.site.login=secure_admin_login(admin.site.login)",
        'setattr(admin.site, "login", view)',
    ],
)
def test_the_pattern_finds_an_attribute_set_on_the_site(line):
    assert SETS_A_SITE_ATTRIBUTE.search(line), line


@pytest.mark.parametrize(
    "line",
    [
        "admin.site.unregister(Group)",
        "if admin.site.is_registered(EmailConfirmation):",
        'path("admin/", admin.site.urls),',
        "assert admin.site.site_header == PortalAdminSite.site_header",
    ],
)
def test_the_pattern_leaves_the_sites_use_alone(line):
    assert not SETS_A_SITE_ATTRIBUTE.search(line), line


def test_no_module_of_the_portal_sets_an_attribute_of_the_admin_site():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SETS_A_SITE_ATTRIBUTE.search(line)
    ]
    assert found == [], "Give the site class (allas.admin_site) the behaviour instead:\n" + (
        "\n".join(found)
    )


def test_djangos_admin_classes_are_left_as_django_wrote_them():
    # The empty choice in words comes from the portal's own base classes, not from
    # replacing Django's methods when the project starts.
    from django.contrib.admin import options

    for cls, name in [
        (options.BaseModelAdmin, "formfield_for_dbfield"),
        (options.ModelAdmin, "get_action_choices"),
    ]:
        assert getattr(cls, name).__module__ == "django.contrib.admin.options", name
        assert getattr(cls, name).__qualname__ == f"{cls.__name__}.{name}", name


def test_every_registered_admin_and_inline_shows_its_empty_choices_in_words():
    for model_admin in admin.site._registry.values():
        assert isinstance(model_admin, PortalAdmin), type(model_admin)
        for inline in model_admin.inlines:
            assert issubclass(inline, ChoicesInWords), inline


def test_the_sites_check_reports_an_admin_that_would_show_dashes():
    assert [e.id for e in admin.site.check(None)] == []
    site = PortalAdminSite(name="words")

    class Dashes(admin.ModelAdmin):
        pass

    class DashesInline(admin.TabularInline):
        model = Permission

    class WordsWithDashesInline(PortalAdmin):
        inlines = [DashesInline]

    site.register(Permission, Dashes)
    site.register(Group, WordsWithDashesInline)
    found = {(e.id, e.obj) for e in site.check(None) if e.id.startswith("allas.")}
    assert found == {("allas.E010", Dashes), ("allas.E010", DashesInline)}


@pytest.mark.django_db
def test_an_admin_form_and_its_list_show_no_dashes(client, staff):
    from allas.models import AuditEvent

    AuditEvent.objects.create(actor=staff, verb="plan.published", summary="Publicerade planen.")
    client.force_login(staff)
    form = client.get(reverse("admin:groups_plan_add")).content.decode()
    listing = client.get(reverse("admin:allas_auditevent_changelist")).content.decode()
    assert "---------" not in form + listing
    assert ">Välj<" in form
    assert ">Välj en åtgärd<" in listing

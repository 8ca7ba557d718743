"""The layers of the apps (scripts/check_layers.py): core <- notifications <- groups <-
proposals, meetings. The check is tried on small sources first, then on the real tree."""

import textwrap

import pytest
from django.apps import apps

from scripts import check_layers
from scripts.check_layers import ALLOWED, LAYER_OF, check, violations_in_source


def found(path, source):
    return [use.what for use in violations_in_source(textwrap.dedent(source), path)]


# -- imports ------------------------------------------------------------------------


def test_an_import_inside_a_function_is_caught():
    source = """
        def with_proposals(self):
            from proposals.models import Proposal

            return Proposal.objects.all()
    """
    assert found("groups/plans/models.py", source) == ["proposals.models"]


def test_every_form_of_import_of_a_higher_app_is_caught():
    source = """
        import groups.models
        import meetings
        from groups import services
        from importlib import import_module
        from django.utils.module_loading import import_string

        if True:
            from proposals.models import Proposal

        search = import_module("proposals.search")
        Meeting = import_string("meetings.models.NetworkMeeting")
        __import__("groups.search")
    """
    assert sorted(found("notifications/services.py", source)) == sorted(
        [
            "groups.models",
            "meetings",
            "groups",
            "proposals.models",
            "proposals.search",
            "meetings.models.NetworkMeeting",
            "groups.search",
        ]
    )


def test_a_sibling_is_never_imported():
    assert found("meetings/services.py", "from proposals.models import Proposal") == [
        "proposals.models"
    ]
    assert found("proposals/views.py", "import meetings.calendar") == ["meetings.calendar"]


def test_an_app_may_import_itself_and_the_apps_below_it():
    source = """
        from allas import audit
        from notifications.notify import notify
        from groups.models import DevelopmentGroup
        from proposals.models import Proposal
        from django.db import models
        from . import services
        from .models import Proposal
        from ..models import DevelopmentGroup
    """
    assert found("proposals/services/status.py", source) == []
    assert found("groups/plans/views.py", "from ..models import DevelopmentGroup") == []
    assert found("groups/plans/views.py", "from ...proposals import models") == ["proposals"]


def test_another_apps_urls_are_mounted_only_by_the_root_urlconf():
    assert found("allas/urls.py", 'urlpatterns = [path("", include("groups.urls"))]') == []
    assert found("allas/urls.py", "from groups import views") == ["groups"]
    assert found("groups/urls.py", 'urlpatterns = [path("", include("proposals.urls"))]') == [
        "proposals.urls"
    ]


def test_the_settings_are_configuration_not_a_layer():
    source = 'SEARCH_MODULES = ["proposals.search"]\nx = import_module("meetings.search")'
    assert found("allas/settings.py", source) == []


# -- models named by a string ---------------------------------------------------------


def test_a_model_of_a_higher_app_named_by_a_string_is_caught():
    source = """
        from django.apps import apps
        from django.db import models

        class AuditEvent(models.Model):
            group = models.ForeignKey("groups.DevelopmentGroup", on_delete=models.SET_NULL)
            plans = models.ManyToManyField(to="groups.Plan", through="groups.PlanLink")
            proposal = models.OneToOneField("proposals.Proposal", on_delete=models.CASCADE)
            locality = models.ForeignKey("allas.Locality", on_delete=models.CASCADE)
            parent = models.ForeignKey("self", on_delete=models.CASCADE)

        def meetings():
            return apps.get_model("meetings", "NetworkMeeting"), apps.get_model("groups.Action")
    """
    assert found("allas/models.py", source) == [
        "groups.DevelopmentGroup",
        "groups.Plan",
        "groups.PlanLink",
        "proposals.Proposal",
        "meetings.NetworkMeeting",
        "groups.Action",
    ]


def test_a_migration_may_not_depend_on_a_higher_app():
    source = """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            dependencies = [
                ("notifications", "0001_initial"),
                ("allas", "0008_scrub_sent_outbox_secrets"),
                ("proposals", "0004_action"),
            ]
            operations = [
                migrations.AddField(
                    model_name="follow",
                    name="proposal",
                    field=models.ForeignKey(to="proposals.proposal", on_delete=models.CASCADE),
                ),
            ]
    """
    assert found("notifications/migrations/0009_follow_proposal.py", source) == [
        "proposals.0004_action",
        "proposals.proposal",
    ]
    # A migration of a higher app depends on a lower one as its models do.
    assert found("proposals/migrations/0002_x.py", source.replace('"proposals"', '"x"')) == []


# -- the real tree --------------------------------------------------------------------


def test_the_apps_keep_their_layers(capsys):
    new, _allowed, _stale = check()
    assert [str(use) for use in new] == []
    assert check_layers.main() == 0
    assert " 0 violations" in capsys.readouterr().out


def test_the_allowlist_holds_only_what_still_occurs_each_with_its_reason():
    _new, still_there, stale = check()
    assert stale == []
    assert {use.key for use in still_there} == set(ALLOWED)
    assert all(reason.strip() for reason in ALLOWED.values())


def test_an_allowlist_entry_that_no_longer_occurs_fails_the_check():
    gone = ("allas/models.py", "groups.DevelopmentGroup")
    _new, _allowed, stale = check(allowed={**ALLOWED, gone: "the audit log's group"})
    assert stale == [gone]


@pytest.mark.parametrize(
    "model", [m for m in apps.get_models() if m._meta.app_label in LAYER_OF], ids=str
)
def test_no_model_has_a_relation_to_a_higher_app(model):
    """What the source check finds by the strings, asked from the models as they load."""
    app = model._meta.app_label
    for field in model._meta.get_fields(include_hidden=True):
        if field.is_relation and field.concrete and field.related_model is not None:
            target = field.related_model._meta.app_label
            assert check_layers.is_allowed(app, target), f"{model.__name__}.{field.name}"

"""Every way public content changes renews the visitors' page cache (allas.page_cache):
each service that writes a model visitors see is marked @renews_public_content, and each
such model's ModelAdmin renews on its saves and deletes.

Which services write is read from their source: a call that writes (`.save(`, `.create(`,
`.update(`, `.delete(`, ...) on a public model's class, on a variable that holds one (by
its annotation, or by a name that is the model's), or on a model chosen at run time
(`type(item).objects`), directly or through a private helper of the same module."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin

from allas.page_cache import RENEWING_SERVICES, RenewsPublicContentAdmin

ROOT = Path(__file__).resolve().parent.parent
APPS = ["allas", "groups", "proposals", "meetings"]

# The models whose rows show on the pages stored for visitors (allas.page_cache), with the
# names a variable holding one goes by in the services.
PUBLIC_MODELS = {
    "allas.Locality": {"locality"},
    "allas.SlusGoal": {"goal"},
    # Display names show on proposals and comments.
    "allas.User": {"user"},
    "groups.DevelopmentGroup": {"group"},
    "groups.Membership": {"membership"},
    "groups.Plan": {"plan"},
    "groups.Action": {"action"},
    "groups.ActionNote": {"note"},
    "proposals.Proposal": {"proposal"},
    "proposals.Comment": {"comment"},
    "proposals.Support": {"support"},
    "proposals.StatusChange": {"change"},
    "meetings.NetworkMeeting": {"meeting"},
    "meetings.AgendaItem": {"item"},
}
CLASS_NAMES = {label.split(".")[1] for label in PUBLIC_MODELS}
VARIABLE_NAMES = set().union(*PUBLIC_MODELS.values())
# Services that write a public model but only fields no stored page shows.
NOT_SHOWN = {
    "proposals.services.reminders.send_due_reminders": "reminder_sent_at",
    "meetings.services.reminders.send_due_reminders": "booklet_notice_at",
}
WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "set",
    "add",
    "remove",
    "clear",
}


def service_modules() -> list[Path]:
    found = set()
    for app in APPS:
        for pattern in ("**/services.py", "**/*_services.py", "**/services/*.py"):
            found.update((ROOT / app).glob(pattern))
    return sorted(p for p in found if p.name != "__init__.py" and "migrations" not in p.parts)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _root(node):
    """The start of a chain like `Proposal.objects.filter(...).update`."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id == "type"
        ):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node


def _public_variables(function) -> set[str]:
    """The names in the function that hold a public model or a public model's class."""
    names = set(VARIABLE_NAMES)
    arguments = function.args
    for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
        annotation = arg.annotation
        if isinstance(annotation, ast.BinOp):  # Comment | None
            annotation = annotation.left
        if isinstance(annotation, ast.Name) and annotation.id in CLASS_NAMES:
            names.add(arg.arg)
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _is_public(node.value, names):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _is_public(expression, names: set[str]) -> bool:
    root = _root(expression)
    if isinstance(root, ast.Name):
        return root.id in CLASS_NAMES or root.id in names
    # type(item).objects: a model chosen at run time counts as public.
    return isinstance(root, ast.Call) and getattr(root.func, "id", None) == "type"


def _writes_directly(function) -> bool:
    names = _public_variables(function)
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
            and _is_public(node.func.value, names)
        ):
            return True
    return False


def _called_helpers(function) -> set[str]:
    return {
        node.func.id
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("_")
    }


def public_writers(path: Path) -> set[str]:
    """The module's public functions that write a public model, themselves or through
    its private helpers."""
    tree = ast.parse(path.read_text())
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    writes = {name for name, f in functions.items() if _writes_directly(f)}
    changed = True
    while changed:  # helpers calling helpers
        changed = False
        for name, function in functions.items():
            if name not in writes and _called_helpers(function) & writes:
                writes.add(name)
                changed = True
    return {name for name in writes if not name.startswith("_")}


def all_public_writers() -> dict[str, set[str]]:
    return {module_name(path): public_writers(path) for path in service_modules()}


def test_the_finder_sees_the_services_that_write_public_content():
    # Guards the test below against reading nothing.
    writers = {
        f"{module}.{name}" for module, names in all_public_writers().items() for name in names
    }
    for known in [
        "proposals.services.proposals.proposal_create",
        "proposals.services.comments.comment_delete",
        "proposals.services.supports.support_toggle",
        "proposals.services.moderation.moderate",
        "groups.services.membership_approve",
        "groups.plans.services.action_move",
        "meetings.services.lifecycle.meeting_cancel",
        "allas.services.account_delete",
    ]:
        assert known in writers


@pytest.mark.parametrize("path", service_modules(), ids=module_name)
def test_every_service_that_writes_public_content_renews_it(path):
    module = module_name(path)
    importlib.import_module(module)  # registers its @renews_public_content services
    missing = sorted(
        name
        for name in public_writers(path)
        if f"{module}.{name}" not in RENEWING_SERVICES | NOT_SHOWN.keys()
    )
    assert not missing, f"{module}: mark these @renews_public_content: {', '.join(missing)}"


@pytest.mark.parametrize("label", sorted(PUBLIC_MODELS))
def test_the_admin_of_every_public_model_renews_it(label):
    model_admin = admin.site._registry.get(apps.get_model(label))
    if model_admin is not None:
        assert isinstance(model_admin, RenewsPublicContentAdmin)

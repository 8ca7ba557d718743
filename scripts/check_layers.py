"""The layers of the portal's apps, checked rather than hoped for.

    allas (core)  <-  notifications  <-  groups  <-  proposals, meetings

An app may use its own code and the apps below it; never an app above it, and never a
sibling on the same layer. The check reads the source of every .py file of the five apps,
migrations included, without running it, and finds each use of another app:

- an import, at module level or inside a function (`import x`, `from x import y`, relative
  imports resolved), or a module imported by name from a literal (`import_module("x.y")`,
  `import_string("x.y.z")`, `__import__("x")`, `include("x.urls")`);
- a model named by a string: `ForeignKey("groups.DevelopmentGroup")` and the other relation
  fields (`to=`, `through=` too), `apps.get_model("groups", "DevelopmentGroup")` or
  `get_model("groups.DevelopmentGroup")`;
- in a migration, another app's migration in `dependencies` or `run_before`.

Not checked:
- allas/settings.py, which is configuration, not a layer: INSTALLED_APPS and the registers
  (SEARCH_MODULES, PERSONAL_DATA_MODULES, ...) are how an app offers its part to a lower
  one without the lower one naming it;
- in the root URLconf (allas/urls.py, settings.ROOT_URLCONF), `include("<app>.urls")`: it
  mounts every app's pages, which is putting the project together, not core using an app.
  Everything else in that file is checked.

What still crosses the layers today is listed in ALLOWED below, each with why, so the check
passes and each entry's removal shows. An entry that no longer occurs fails the check, so
the list only shrinks.

Run it with `python scripts/check_layers.py` (`make lint` does).
"""

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. An app may use the apps of the layers before its own.
LAYERS = [
    ("allas",),
    ("notifications",),
    ("groups",),
    ("proposals", "meetings"),
]
LAYER_OF = {app: n for n, apps in enumerate(LAYERS) for app in apps}

# Configuration, not a layer (see above).
NOT_CHECKED = {"allas/settings.py"}
ROOT_URLCONF = "allas/urls.py"

RELATION_FIELDS = {
    "ForeignKey",
    "OneToOneField",
    "ManyToManyField",
    "ForeignObject",
    "GenericRelation",
}
IMPORT_BY_NAME = {"import_module", "import_string", "__import__"}

# What still crosses the layers: (file, what it uses) -> why it is still there. `what` is
# the module imported, the model named ("app.Model"), or the migration depended on
# ("app.migration"), as the check prints it.
ALLOWED = {
    # Migrations are history: they ran on every database and are never edited. The audit
    # log's link to a group was replaced by one to its ort (allas 0009-0011); these two
    # stay until the migrations are squashed.
    ("allas/migrations/0005_audit_log.py", "groups.0005_group_messages"): (
        "the audit log was created with a link to a group (history)"
    ),
    ("allas/migrations/0005_audit_log.py", "groups.developmentgroup"): (
        "the audit log was created with a link to a group (history)"
    ),
}


@dataclass(frozen=True)
class Use:
    """One use of another app's code or model, found in `path` at `line`."""

    path: str
    line: int
    what: str

    @property
    def app(self) -> str:
        return self.what.split(".")[0]

    @property
    def key(self) -> tuple[str, str]:
        return (self.path, self.what)

    def __str__(self):
        return f"{self.path}:{self.line}: uses {self.what}"


def app_of(path: str) -> str:
    return path.split("/")[0]


def is_allowed(from_app: str, to_app: str) -> bool:
    """Whether code of from_app may use to_app. Apps outside the five are not ours to
    order (Django, allauth, the standard library)."""
    if to_app not in LAYER_OF or from_app not in LAYER_OF or to_app == from_app:
        return True
    return LAYER_OF[to_app] < LAYER_OF[from_app]


def _module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(path: str, node: ast.ImportFrom) -> str:
    """The module a `from ... import` reads, relative imports resolved against `path`."""
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if not path.endswith("__init__.py"):
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(func) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _model_reference(value: str | None) -> str | None:
    """A model of one of the five apps named as "app.Model"; a name without the app
    ("Model", "self") is of the app it is written in."""
    if value and value.count(".") == 1 and value.split(".")[0] in LAYER_OF:
        return value
    return None


def _uses_in_call(path: str, call: ast.Call):
    name = _name(call.func)
    first = _literal(call.args[0]) if call.args else None
    keywords = {k.arg: _literal(k.value) for k in call.keywords if k.arg}
    if name in IMPORT_BY_NAME and first:
        yield first
    elif name == "include" and first:
        if not (path == ROOT_URLCONF and first.count(".") == 1 and first.endswith(".urls")):
            yield first
    elif name in RELATION_FIELDS:
        for value in (first, keywords.get("to"), keywords.get("through")):
            if reference := _model_reference(value):
                yield reference
    elif name == "get_model":
        if len(call.args) >= 2 and first:
            yield f"{first}.{_literal(call.args[1]) or '?'}"
        elif reference := _model_reference(first or keywords.get("model_name")):
            yield reference
        elif app_label := keywords.get("app_label"):
            yield f"{app_label}.{keywords.get('model_name') or '?'}"


def _migration_dependencies(node: ast.Assign | ast.AnnAssign):
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    names = {t.id for t in targets if isinstance(t, ast.Name)}
    if not names & {"dependencies", "run_before"} or not isinstance(
        node.value, ast.List | ast.Tuple
    ):
        return
    for item in node.value.elts:
        if isinstance(item, ast.Tuple) and len(item.elts) == 2:
            app, migration = (_literal(e) for e in item.elts)
            if app:
                yield item, f"{app}.{migration}"


def uses_in_source(source: str, path: str) -> list[Use]:
    """Every use of one of the five apps in one file's source, its own app's included."""
    uses = []
    in_migration = "/migrations/" in path
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            uses += [Use(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            uses.append(Use(path, node.lineno, module))
        elif isinstance(node, ast.Call):
            uses += [Use(path, node.lineno, what) for what in _uses_in_call(path, node)]
        elif in_migration and isinstance(node, ast.Assign | ast.AnnAssign):
            uses += [Use(path, item.lineno, what) for item, what in _migration_dependencies(node)]
    return [use for use in uses if use.app in LAYER_OF]


def violations_in_source(source: str, path: str) -> list[Use]:
    """The uses in one file that go against the layers, allowed or not."""
    if path in NOT_CHECKED:
        return []
    return [use for use in uses_in_source(source, path) if not is_allowed(app_of(path), use.app)]


def files(root: Path = ROOT):
    for app in LAYER_OF:
        for file in sorted((root / app).rglob("*.py")):
            yield file.relative_to(root).as_posix(), file


def check(root: Path = ROOT, allowed=None):
    """The violations not in the allowlist, the allowed ones, and the allowlist's entries
    that no longer occur."""
    allowed = ALLOWED if allowed is None else allowed
    found = [
        use
        for path, file in files(root)
        for use in violations_in_source(file.read_text(encoding="utf-8"), path)
    ]
    new = [use for use in found if use.key not in allowed]
    still_there = [use for use in found if use.key in allowed]
    stale = sorted(set(allowed) - {use.key for use in found})
    return new, still_there, stale


def main() -> int:
    new, still_there, stale = check()
    order = " <- ".join(", ".join(apps) for apps in LAYERS)
    for use in new:
        print(f"{use}: against the layers ({order})")
    for path, what in stale:
        print(f"{path}: no longer uses {what}: remove it from ALLOWED in {Path(__file__).name}")
    checked = sum(1 for _ in files())
    print(
        f"Layers {order}: {checked} files, {len(new)} violations, "
        f"{len(still_there)} allowed ({len(ALLOWED)} entries), {len(stale)} stale entries."
    )
    return 1 if new or stale else 0


if __name__ == "__main__":
    sys.exit(main())

"""The documentation stays usable: the README fits on a screen or two, every link between
the documents leads somewhere, and every setting read from the environment is documented."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
CONFIGURATION = ROOT / "docs" / "configuration.md"
SETTINGS = ROOT / "allas" / "settings.py"

# [text](target) in Markdown; images and autolinks are not used.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text())
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


def _anchor(heading: str) -> str:
    """The anchor a heading gets on GitHub: lower case, punctuation dropped, spaces to -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text())
    return {_anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}


def test_the_readme_is_at_most_12_kib():
    assert len(README.read_bytes()) <= 12_288


def test_the_docs_exist():
    names = {path.name for path in DOCS}
    for name in [
        "architecture.md",
        "configuration.md",
        "operations.md",
        "security.md",
        "email.md",
        "search.md",
        "performance.md",
        "open-data.md",
    ]:
        assert name in names


@pytest.mark.parametrize(
    "document",
    [README, ROOT / "bench" / "RESULTS.md", *DOCS],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_every_relative_link_leads_to_a_file_and_heading_in_the_repository(document):
    links = _links(document)
    assert links or document.name == "open-data.md"
    for link in links:
        target, _, anchor = link.partition("#")
        path = (document.parent / target).resolve() if target else document
        assert path.is_relative_to(ROOT), f"{document.name}: {link} leaves the repository"
        assert path.exists(), f"{document.name}: {link} points to no file"
        if anchor and path.suffix == ".md":
            assert anchor in _anchors(path), f"{document.name}: {link} names no heading"


def test_every_variable_read_in_the_settings_is_in_the_configuration_document():
    read = set(re.findall(r"\benv(?:\.[a-z_]+)?\(\s*\"([A-Z0-9_]+)\"", SETTINGS.read_text()))
    assert len(read) > 40  # the pattern still finds the settings' env calls
    documented = set(re.findall(r"`([A-Z0-9_]+)`", CONFIGURATION.read_text()))
    assert sorted(read - documented) == []

"""What an operator relies on: the lock files install exactly what pyproject.toml asks for,
the image installs from them, and compose.yaml starts the services in order."""

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from allas import healthcheck

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "compose.yaml"
APP_SERVICES = ("web", "worker", "beat")


def _locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a pip-compile file."""
    text = path.read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)(.*)$", line)
        if match:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", match.group(3))
            pins[canonicalize_name(match.group(1))] = (match.group(2), hashes)
    return pins


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize(
    ("lock_file", "groups"),
    [("requirements.txt", ["main"]), ("requirements-dev.txt", ["main", "dev"])],
)
def test_the_lock_pins_every_dependency_of_pyproject_with_hashes(lock_file, groups):
    project = _project()
    wanted = {"main": project["dependencies"], "dev": project["optional-dependencies"]["dev"]}
    pins = _locked(ROOT / lock_file)
    assert pins, lock_file
    for group in groups:
        for spec in wanted[group]:
            requirement = Requirement(spec)
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{name} is not in {lock_file}: run make lock"
            version, _hashes = pins[name]
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock_file} has {name}=={version}, pyproject.toml wants {requirement}: "
                "run make lock"
            )
    for name, (version, hashes) in pins.items():
        assert hashes, f"{name}=={version} in {lock_file} has no hash"


def test_development_and_production_lock_the_same_versions():
    production = _locked(ROOT / "requirements.txt")
    development = _locked(ROOT / "requirements-dev.txt")
    for name, (version, _hashes) in production.items():
        assert development[name][0] == version, name


def test_make_installs_from_the_lock_and_reinstalls_when_it_changes():
    makefile = (ROOT / "Makefile").read_text()
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.M)
    assert stamp
    assert set(stamp.group(1).split()) >= {
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.txt",
    }
    assert "pip install --quiet --require-hashes -r requirements-dev.txt" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    assert re.search(r"^lock:", makefile, re.M)
    assert re.search(r"^run: \$\(STAMP\)", makefile, re.M)
    assert re.search(r"^lint: \$\(STAMP\)", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_image_installs_from_the_lock_collects_static_and_runs_unprivileged():
    lines = [
        line.strip()
        for line in (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    runs = [line for line in lines if line.startswith("RUN ")]
    installs = [line for line in runs if "pip install" in line]
    assert "--require-hashes -r requirements.txt" in installs[0]
    assert all("--require-hashes" in line or "--no-deps" in line for line in installs)
    collect = next(line for line in runs if "collectstatic" in line)
    # The production storage needs the manifest of hashed names, so it is made at build.
    assert "STATIC_MANIFEST=true" in collect
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK") and "allas.healthcheck" in line for line in lines)


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_starts_in_order_with_health_checks_and_restart_policies():
    services = _compose()["services"]
    migrate = services["migrate"]
    assert "migrate" in migrate["command"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        service = services[name]
        assert service["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
        assert service["depends_on"]["db"]["condition"] == "service_healthy", name
        assert service["depends_on"]["redis"]["condition"] == "service_healthy", name
        assert "migrate" not in str(service["command"]), name
    for name in ("db", "redis", *APP_SERVICES):
        assert services[name]["restart"] == "unless-stopped", name
    assert "pg_isready" in services["db"]["healthcheck"]["test"]
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "-m", "allas.healthcheck"]


def test_compose_passes_the_mail_and_proxy_settings_through():
    settings_source = (ROOT / "allas" / "settings.py").read_text()
    environment = _compose()["services"]["web"]["environment"]
    for name in (
        "SITE_URL",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DEFAULT_FROM_EMAIL",
        "MEETING_REPLY_EMAIL",
        "BEHIND_PROXY",
        "TRUSTED_PROXY_COUNT",
        "TRUSTED_CLIENT_IP_HEADER",
    ):
        # From the operator's environment, with the settings' own default.
        assert str(environment[name]).startswith(f"${{{name}"), name
    for name in environment:
        # Every variable compose sets is one the settings read.
        assert f'"{name}"' in settings_source, name


def _docker_compose() -> list[str] | None:
    if shutil.which("docker"):
        found = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, check=False
        )
        if found.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_accepts_the_file():
    command = _docker_compose()
    if command is None:
        reason = (
            "docker is installed but has no compose plugin (docker compose version fails)"
            if shutil.which("docker")
            else "docker is not installed"
        )
        pytest.skip(f"docker compose config not run: {reason}")
    result = subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "SECRET_KEY": "compose-config-test"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("allas.vimmerby.se,www.allas.vimmerby.se", "allas.vimmerby.se"),
        (".vimmerby.se", "vimmerby.se"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_health_check_names_a_host_the_portal_accepts(allowed, host):
    assert healthcheck.check_host(allowed) == host


@pytest.mark.django_db(transaction=True)
def test_the_health_check_asks_the_running_server(live_server, monkeypatch, settings):
    settings.CELERY_BROKER_URL = ""
    port = live_server.url.rsplit(":", 1)[1]
    monkeypatch.setenv("PORT", port)
    monkeypatch.setenv("ALLOWED_HOSTS", "localhost")
    assert healthcheck.main() == 0
    monkeypatch.setenv("PORT", "1")  # nothing listens there
    assert healthcheck.main() == 1

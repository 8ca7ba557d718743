"""Benchmark of the portal's public pages at two sizes, served as in production.

    python bench/proposals.py            (or: make bench)

For 1,000 and 50,000 proposals (x 5 comments, 3 supports, a history) and forty coming
dialogue meetings it seeds a PostgreSQL
database (once; BENCH_RESEED=1 seeds again), counts each page's SQL queries on a warm
cache (as served, and with every cache of public content off), serves the portal with
gunicorn as in production (3 gthread workers x 4 threads, persistent database
connections, Redis as the cache: a redis-server of its own on a free port, so nothing else
in any Redis is touched) and loads each page with wrk on loopback, three times (BENCH_RUNS),
keeping the fastest run. It prints, per page
and size, queries, p50/p99 latency, requests/s and the share of the framework's floor (a
trivial view through every middleware), and exits non-zero when a target is missed: at
50,000 proposals every visitor's page at least 40 % of the floor and searches at least
20 %; every page for a signed-in person (a resident; Storebro's coordinator on the group's
page) and a visitor's meeting page (a form with a CSRF token) at least 15 %, searches
10 %, with at most 8 queries (the login page is measured too, without a target); queries
the same at both sizes.
PAGE_CACHE_SECONDS=0 measures the portal without the visitors' page cache and the
fragments kept under the content version.
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/allas_bench,
suffixed _1k and _50k), redis-server and wrk (apt-get install redis-server wrk)."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/allas_bench")
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,50000").split(",")]
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
# wrk's connections stay with the worker process that accepted them, and one process runs
# Python on one core at a time: a run whose connections all went to one worker measures
# half the machine (about one run in five). That noise only ever slows a run, so each page
# (the floor too) is loaded this many times and the fastest run is kept.
RUNS = int(os.environ.get("BENCH_RUNS", "3"))

# (name, address, who): a visitor (None, served from the visitors' page cache), or a
# signed-in resident or the coordinator of Storebro's group (every page rendered).
PAGES = [
    ("floor", "/__golv/", None),
    ("list", "/forslag/", None),
    ("filtered", "/forslag/?ort=storebro&status=submitted", None),
    ("page 50", "/forslag/?sida=50", None),
    ("search common", "/forslag/?q=cykelv%C3%A4gen", None),
    ("search compound", "/forslag/?q=cykel", None),
    ("search no hit", "/forslag/?q=xylofon", None),
    ("search /sok/", "/sok/?q=lekplatser", None),
    ("proposal", "/forslag/{first}/", None),
    ("ort", "/orter/storebro/", None),
    ("/mal/", "/mal/", None),
    ("meetings", "/moten/", None),
    ("meeting", "/moten/{meeting}/", None),
    ("login page", "{login}", None),
    ("list, in", "/forslag/", "resident"),
    ("filtered, in", "/forslag/?ort=storebro&status=submitted", "resident"),
    ("page 50, in", "/forslag/?sida=50", "resident"),
    ("search common, in", "/forslag/?q=cykelv%C3%A4gen", "resident"),
    ("search compound, in", "/forslag/?q=cykel", "resident"),
    ("proposal, in", "/forslag/{first}/", "resident"),
    ("ort, in", "/orter/storebro/", "resident"),
    ("/mal/, in", "/mal/", "resident"),
    ("home, in", "/", "resident"),
    ("year account, in", "/uppfoljning/{year}/", "resident"),
    ("meetings, in", "/moten/", "resident"),
    ("meeting, in", "/moten/{meeting}/", "resident"),
    ("group, coordinator", "/orter/storebro/grupp/", "coordinator"),
]
SEARCHES = {name for name, _, _ in PAGES if name.startswith("search")}
SIGNED_IN = {name for name, _, who in PAGES if who}
# Visitors' pages (served from the page cache) and pages for a signed-in person (kept
# with their personal parts filled in, allas.signed_in_pages). A visitor's meeting page
# carries a CSRF token in its sign-up form, so it is kept with holes as a signed-in page
# is, and has that target. The login page is rendered for every visitor (its form carries
# a CSRF token): measured, without a target.
MIN_SHARE, MIN_SEARCH_SHARE = 0.40, 0.20
MIN_SIGNED_IN_SHARE, MIN_SIGNED_IN_SEARCH_SHARE = 0.15, 0.10
RENDERED = SIGNED_IN | {"login page", "meeting"}
UNTARGETED = {"floor", "login page"}
# At most this many queries for a rendered page, and the same at every size.
MAX_RENDERED_QUERIES = 8


def target(name: str) -> float | None:
    if name in UNTARGETED:
        return None
    if name in RENDERED:
        return MIN_SIGNED_IN_SEARCH_SHARE if name in SEARCHES else MIN_SIGNED_IN_SHARE
    return MIN_SEARCH_SHARE if name in SEARCHES else MIN_SHARE


def env_for(url, redis_url=""):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "CONN_MAX_AGE": "600",
        "REDIS_URL": redis_url,
        "PAGE_CACHE_SECONDS": os.environ.get("PAGE_CACHE_SECONDS", "600"),
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def prepare_database(url, size) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists and os.environ.get("BENCH_RESEED"):
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {name}"], check=True)
        exists = ""
    if not exists:
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    env = env_for(url)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    script = f"import sys; sys.path.insert(0, 'bench'); from seed import seed; seed({size})"
    manage(env, "shell", "-c", script)
    # As autovacuum leaves a database that has settled: statistics and visibility map.
    subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
    print(f"  {size} proposals ready in {time.monotonic() - started:.0f} s", flush=True)


def count_queries(env) -> dict:
    """Queries per page on a warm cache (the second request): as served, and with every
    cache of public content off. Also makes the coordinator of Storebro's group
    and the signed-in people's sessions."""
    script = f"""
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
setup_test_environment()
from django.urls import reverse
from django.utils import timezone
from allas.models import User
from groups.models import DevelopmentGroup, DialogueMeeting, Membership
from proposals.models import Proposal
first = Proposal.objects.order_by("-id").values_list("id", flat=True)[10]
people = list(User.objects.filter(email__startswith="bench").order_by("id")[:12])
# Storebro's group: the second person coordinates it, ten more are members.
group = DevelopmentGroup.objects.get(locality__slug="storebro")
for n, person in enumerate(people[1:]):
    Membership.objects.update_or_create(
        user=person,
        group=group,
        defaults={{
            "role": "coordinator" if n == 0 else "member",
            "status": "active",
            "sector": "associations",
            "age_band": "30_49",
        }},
    )

def session_for(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key

sessions = {{"resident": session_for(people[0]), "coordinator": session_for(people[1])}}
meeting = DialogueMeeting.objects.filter(group=group).order_by("starts_at").first().pk
values = {{
    "first": first,
    "login": reverse("account_login"),
    "year": timezone.localdate().year,
    "meeting": meeting,
}}
result = {{"values": values, "sessions": sessions}}

def measure(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)

for name, path, who in {PAGES!r}:
    path = path.format(**values)
    client = Client()
    if who:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[who]
    served = measure(client, path)
    with override_settings(PAGE_CACHE_SECONDS=0):
        rendered = measure(client, path)
    result[name] = [served, rendered]
print("RESULT" + json.dumps(result))
"""
    output = manage(env, "shell", "-c", script, capture_output=True, text=True).stdout
    return json.loads(output.split("RESULT", 1)[1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, headers=()) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def start_redis() -> tuple[subprocess.Popen, str]:
    """A Redis of the benchmark's own, in memory only, as production's cache."""
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"redis://127.0.0.1:{port}/0"


def serve_and_measure(env, values, sessions) -> dict:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "allas.wsgi",
            "--workers",
            "3",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    results = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/__golv/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)

        def cookie(who):
            return f"sessionid={sessions[who]}"

        for _name, path, who in PAGES:  # warm every worker's connection and cache
            headers = {"Cookie": cookie(who)} if who else {}
            for _ in range(30):
                request = urllib.request.Request(base + path.format(**values), headers=headers)
                urllib.request.urlopen(request, timeout=30).read()
        for name, path, who in PAGES:
            headers = ["-H", f"Cookie: {cookie(who)}"] if who else []
            runs = [wrk(base + path.format(**values), headers) for _ in range(RUNS)]
            results[name] = max(runs, key=lambda run: run["rps"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return results


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    if not shutil.which("redis-server"):
        print("redis-server is missing: apt-get install redis-server", file=sys.stderr)
        return 2
    table, queries = {}, {}
    for size in SIZES:
        url = f"{BASE_URL}_{size // 1000}k"
        print(f"Dataset: {size} proposals x 5 comments ({url})", flush=True)
        prepare_database(url, size)
        redis, redis_url = start_redis()
        try:
            env = env_for(url, redis_url)
            queries[size] = count_queries(env)
            values, sessions = queries[size]["values"], queries[size]["sessions"]
            table[size] = serve_and_measure(env, values, sessions)
        finally:
            os.killpg(redis.pid, signal.SIGTERM)
            redis.wait(timeout=30)
    failed = False
    print()
    print(
        f"| {'page':<20}| {'size':>6} | {'queries':>7} | {'p50 ms':>7} | {'p99 ms':>7} "
        f"| {'req/s':>7} | {'of floor':>8} |"
    )
    print(f"|{'-' * 21}|{'-' * 8}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 10}|")
    largest = max(SIZES)
    for name, _path, _who in PAGES:
        for size in SIZES:
            r = table[size][name]
            share = r["rps"] / table[size]["floor"]["rps"]
            served, rendered = queries[size][name]
            wanted = target(name)
            mark = ""
            if r["errors"]:
                mark, failed = " ERRORS", True
            elif size == largest and wanted is not None and share < wanted:
                mark, failed = f" MISSED (target {wanted:.0%})", True
            if queries[size][name] != queries[SIZES[0]][name]:
                mark, failed = mark + " QUERIES GROW", True
            if name in RENDERED and served > MAX_RENDERED_QUERIES:
                mark, failed = mark + f" QUERIES > {MAX_RENDERED_QUERIES}", True
            print(
                f"| {name:<20}| {size:>6} | {f'{served}/{rendered}':>7} | {r['p50']:>7.1f} "
                f"| {r['p99']:>7.1f} | {r['rps']:>7.0f} | {share:>7.0%} |{mark}"
            )
    print(
        f"\nQueries: as served (the visitors' page cache and the fragments of public content "
        "kept under the content version on) / with every cache off. Targets at "
        f"{largest} proposals: visitors' pages >= "
        f"{MIN_SHARE:.0%} of the floor, searches >= {MIN_SEARCH_SHARE:.0%}; signed-in pages "
        f"and a visitor's meeting page >= {MIN_SIGNED_IN_SHARE:.0%}, searches >= "
        f"{MIN_SIGNED_IN_SEARCH_SHARE:.0%}, at most {MAX_RENDERED_QUERIES} queries; queries "
        "the same at every size. Load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

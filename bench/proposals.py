"""Benchmark of the dialogue's two busiest pages, served as in production.

    python bench/proposals.py            (or: make bench)

Seeds PostgreSQL with 1,000 proposals x 5 comments, counts each page's SQL queries,
then serves the portal with gunicorn (2 workers, persistent database connections) and
loads each page with wrk (8 connections) on loopback. Prints queries, p50/p95 latency and
requests/s per page, and exits non-zero when a page misses its target: at most 8 queries
for the list, 10 for a proposal, and at least 150 requests/s each.
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/allas_bench)
and wrk (apt-get install wrk)."""

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
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/allas_bench"
)
PROPOSALS, COMMENTS, SUPPORTS = 1000, 5, 3
DURATION = os.environ.get("BENCH_DURATION", "15s")
TARGETS = {"list": (8, 150.0), "proposal": (10, 150.0)}

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "STATIC_MANIFEST": "false",
    "CONN_MAX_AGE": "600",
    "REDIS_URL": "",
    "CELERY_BROKER_URL": "",
    "LOG_LEVEL": "WARNING",
}


def manage(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, **kwargs
    )


def create_database():
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)


def count_queries() -> dict:
    """Queries per page, from Django's own query log, for an anonymous visitor."""
    script = f"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
setup_test_environment()
import sys
sys.path.insert(0, "bench")
from seed import seed
seed({PROPOSALS}, {COMMENTS}, {SUPPORTS})
from proposals.models import Proposal
first = Proposal.objects.order_by("id").values_list("id", flat=True)[500]
client = Client()
result = {{"first": first}}
for name, path in [("list", "/forslag/"), ("proposal", f"/forslag/{{first}}/")]:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    result[name] = len(ctx.captured_queries)
print("RESULT" + json.dumps(result))
"""
    output = manage("shell", "-c", script, capture_output=True, text=True).stdout
    import json

    return json.loads(output.split("RESULT", 1)[1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{DURATION}", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50"),
        "p95": ms("90") if not re.search(r"^\s*95%", out, re.M) else ms("95"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    create_database()
    manage("migrate", "--noinput", "-v0")
    queries = count_queries()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "allas.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        pages = {"list": "/forslag/", "proposal": f"/forslag/{queries['first']}/"}
        for path in pages.values():  # warm the workers' connections and caches
            for _ in range(20):
                urllib.request.urlopen(base + path, timeout=5).read()
        failed = False
        print(f"{'page':<10}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}  result")
        for name, path in pages.items():
            result = wrk(base + path)
            max_queries, min_rps = TARGETS[name]
            ok = queries[name] <= max_queries and result["rps"] >= min_rps and not result["errors"]
            failed |= not ok
            print(
                f"{name:<10}{queries[name]:>8}{result['p50']:>9.1f}{result['p95']:>9.1f}"
                f"{result['rps']:>9.1f}  {'ok' if ok else 'MISSED'} "
                f"(target: <= {max_queries} queries, >= {min_rps:.0f} req/s)"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

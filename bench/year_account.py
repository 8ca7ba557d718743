"""Benchmark: the year's account (/uppfoljning/<year>/) at 50,000 proposals.

    python bench/year_account.py            (or: make bench)

Seeds a PostgreSQL database (once; BENCH_RESEED=1 seeds again) with 50,000 proposals of
this year over the ten orter (bench/seed.py, without comments and supports), a third of
them answered by the group after 0 to 39 days and every twentieth lifted and decided 10
to 69 days later. Then, as a signed-in person (whom the visitors' page cache never
serves), it times the page, the CSV and the JSON:

- cold: the content version just renewed, so the account is computed (every query);
- warm: the account read back from the cache under the current version.

It prints the median and the slowest of the runs and the queries of each, and exits
non-zero when a target is missed: cold under 3 s, warm under 150 ms, and the queries the
same cold as at any size (tests/year_account/test_pages.py holds them to a budget).
The cache is the process's memory here (Redis adds a round trip to the warm figure).
Needs PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/allas_bench_account)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = 50_000
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
COLD_TARGET, WARM_TARGET = 3.0, 0.150
PG = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/allas_bench_account")

SEED = f"""
import sys
sys.path.insert(0, "bench")
from django.db import connection
from proposals.models import Proposal
from seed import seed
if not Proposal.objects.exists():
    seed({PROPOSALS}, comments_each=0, supports_each=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO proposals_statuschange (proposal_id, status, answer, answered_by_id, "
            "answered_as, created_at) SELECT id, 'under_review', 'Tack för förslaget.', NULL, "
            "'group', created_at + ((id % 40) || ' days')::interval FROM proposals_proposal "
            "WHERE id % 3 = 0"
        )
        cursor.execute(
            "INSERT INTO proposals_municipalcase (proposal_id, stage, lifted_at, motivation, "
            "case_number, contact_role, registered_at, decided_on, outcome, summary, "
            "decision_url, changed_at) SELECT id, 'decided', created_at, 'Viktigt.', "
            "'KS ' || id, '', created_at, (created_at + ((10 + id % 60) || ' days')::interval)"
            "::date, 'granted', 'Bifall.', '', created_at FROM proposals_proposal "
            "WHERE id % 20 = 0"
        )
        cursor.execute(
            "UPDATE proposals_proposal SET municipal_stage = 'decided' WHERE id % 20 = 0"
        )
"""

MEASURE = f"""
import json, statistics, time
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone
setup_test_environment()
from allas.models import User
from allas.page_cache import content_changed
from proposals.models import Proposal

user, _ = User.objects.get_or_create(email="bench-account@example.se",
                                     defaults={{"display_name": "Läsare"}})
client = Client()
client.force_login(user)
year = timezone.localdate().year
result = {{"proposals": Proposal.objects.count()}}
for name, path in [("page", f"/uppfoljning/{{year}}/"), ("csv", f"/uppfoljning/{{year}}.csv"),
                   ("json", f"/uppfoljning/{{year}}.json")]:
    for state in ("cold", "warm"):
        times, queries = [], 0
        for _ in range({RUNS}):
            if state == "cold":
                content_changed()
            else:
                client.get(path)
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(ctx.captured_queries)
        result[f"{{name}} {{state}}"] = {{
            "p50": statistics.median(times), "max": max(times), "queries": queries
        }}
print("RESULT" + json.dumps(result))
"""


def env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": PG,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        # The account is kept as long as whole pages are; with no Redis that is off by
        # default (one process's memory), so it is switched on for the one process here.
        "PAGE_CACHE_SECONDS": "600",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(), check=True, **kwargs
    )


def prepare() -> None:
    name = PG.rsplit("/", 1)[1]
    admin = PG.rsplit("/", 1)[0] + "/postgres"
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
    manage("migrate", "--noinput", "-v0")
    manage("shell", "-c", SEED)
    subprocess.run(["psql", PG, "-qc", "VACUUM ANALYZE"], check=True)


def main() -> int:
    prepare()
    out = manage("shell", "-c", MEASURE, capture_output=True, text=True).stdout
    result = json.loads(out.split("RESULT", 1)[1])
    print(f"The year's account at {result.pop('proposals')} proposals, signed in:")
    failed = False
    for name in ("page", "csv", "json"):
        cold, warm = result[f"{name} cold"], result[f"{name} warm"]
        ok = cold["p50"] < COLD_TARGET and warm["p50"] < WARM_TARGET
        failed |= not ok
        print(
            f"  {name:<5} cold {cold['p50'] * 1000:7.1f} ms (max {cold['max'] * 1000:7.1f}, "
            f"{cold['queries']} queries)  warm {warm['p50'] * 1000:6.1f} ms "
            f"(max {warm['max'] * 1000:6.1f}, {warm['queries']} queries)  "
            f"{'ok' if ok else 'MISSED'} (targets: cold under {COLD_TARGET:.0f} s, "
            f"warm under {WARM_TARGET * 1000:.0f} ms)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: building and queueing 1,000 invitations to a network meeting.

    python bench/meetings.py            (or: make bench)

For SQLite and for PostgreSQL, seeds a network of 1,000 people, then times
`invitations_build` + `invitations_send` (1,000 e-mails rendered with their calendar
files, written to the outbox and handed to Celery on the real Redis broker; no worker
runs, so nothing is delivered). Target: under 5 seconds each. Needs Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/13) and PostgreSQL
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/allas_bench_meetings)."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 1000
TARGET_SECONDS = 5.0
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PG = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/allas_bench_meetings")

SCRIPT = f"""
import json, time, datetime
import redis
from django.utils import timezone
from allas.models import User, OutboundEmail
from groups.models import DevelopmentGroup, Membership
from meetings import services
from meetings.models import NetworkMeeting

redis.Redis.from_url("{REDIS}").flushdb()
groups = list(DevelopmentGroup.objects.all())
users = User.objects.bulk_create(
    User(email=f"natverk{{i}}@example.se", display_name=f"Person {{i}}") for i in range({PEOPLE})
)
Membership.objects.bulk_create(
    Membership(user=u, group=groups[i % 10], status="active", sector="resident", is_delegate=True)
    for i, u in enumerate(users)
)
start = (timezone.now() + datetime.timedelta(days=30)).replace(microsecond=0)
meeting = NetworkMeeting.objects.create(
    title="Nätverksträff", starts_at=start, ends_at=start + datetime.timedelta(hours=6),
    venue="Stadshuset", rsvp_deadline=start - datetime.timedelta(days=7),
    report_deadline=start - datetime.timedelta(days=10), status="published",
)
import cProfile, pstats, os
pr = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
pr and pr.enable()
t0 = time.perf_counter()
built = services.invitations_build(meeting=meeting, by=None)
sent = services.invitations_send(meeting=meeting, by=None)  # commits, then queues
elapsed = time.perf_counter() - t0
if pr:
    pr.disable(); pstats.Stats(pr).sort_stats("cumulative").print_stats(30)
queued = redis.Redis.from_url("{REDIS}").llen("allas")
print("RESULT" + json.dumps({{"built": built, "sent": sent, "rows": OutboundEmail.objects.count(),
                             "queued": queued, "seconds": elapsed}}))
"""


def run(database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "CELERY_BROKER_URL": REDIS,
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "STATIC_MANIFEST": "false",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("RESULT", 1)[1])


def main() -> int:
    name = PG.rsplit("/", 1)[1]
    admin = PG.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for label, url in [("SQLite", f"sqlite:///{tmp}/bench.sqlite3"), ("PostgreSQL", PG)]:
            result = run(url)
            ok = (
                result["seconds"] < TARGET_SECONDS
                and result["sent"] == PEOPLE
                and result["rows"] == PEOPLE
                and result["queued"] == PEOPLE
            )
            failed |= not ok
            print(
                f"{label:<11} {result['sent']} invitations built and queued in "
                f"{result['seconds']:.2f} s ({result['queued']} tasks on the broker)  "
                f"{'ok' if ok else 'MISSED'} (target: under {TARGET_SECONDS:.0f} s)"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

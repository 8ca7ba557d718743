"""Benchmark: the password check at login, four at a time.

    python bench/login.py            (or: make bench)

Times `check_password` with the portal's first hasher (PASSWORD_HASHERS), 4 threads at
once as when several people log in together, and prints p50/p99. Target: p50 under
250 ms. The PBKDF2 the portal used before is timed too, for comparison, with no target.
Needs nothing but the portal's Python packages."""

import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = 4
CHECKS = 80
TARGET_P50_MS = 250
PASSWORD = "Tre-ord-om-Stangaan-31"


def timings(encoded: str, checks: int) -> list[float]:
    from django.contrib.auth.hashers import check_password

    def one(_):
        start = time.perf_counter()
        assert check_password(PASSWORD, encoded)
        return (time.perf_counter() - start) * 1000

    check_password(PASSWORD, encoded)  # loads the library
    with ThreadPoolExecutor(THREADS) as pool:
        return sorted(pool.map(one, range(checks)))


def report(label: str, ms: list[float]) -> float:
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, round(len(ms) * 0.99) - 1)]
    print(f"{label:<38} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  ({len(ms)} checks)", end="")
    return p50


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allas.settings")
    os.environ.setdefault(
        "SECRET_KEY", "benchmark-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    encoded = make_password(PASSWORD)
    print(f"load average {os.getloadavg()[0]:.2f}, {THREADS} threads at once")
    p50 = report(encoded.rsplit("$", 2)[0], timings(encoded, CHECKS))
    ok = p50 <= TARGET_P50_MS
    print(f"  {'ok' if ok else 'MISSED'} (target: p50 under {TARGET_P50_MS} ms)")
    before = make_password(PASSWORD, hasher="pbkdf2_sha256")
    report(before.rsplit("$", 2)[0], timings(before, 2 * THREADS))
    print("  for comparison")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

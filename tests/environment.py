"""A pytest plugin (`-p tests.environment` in pyproject.toml), loaded before pytest-django
reads the settings: the environment every test run starts from.

Tests run with DEBUG off, as production does, over plain HTTP on loopback.
A value already in the environment (DATABASE_URL, REDIS_URL, ...) wins.
"""

import os

for name, value in {
    "DEBUG": "false",
    "SECRET_KEY": "test-secret-key-not-for-production-0123456789-abcdefghijklmnop",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "STATIC_MANIFEST": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "EMAIL_URL": "memorymail://",
}.items():
    os.environ.setdefault(name, value)

# The code under test runs as on a laptop: tasks in-process, cache in memory. Tests that
# need the real broker read its address from TEST_REDIS_URL and say so (tests/services.py).
os.environ.setdefault("TEST_REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
os.environ["REDIS_URL"] = ""
os.environ["CACHE_REDIS_URL"] = ""
os.environ["CELERY_BROKER_URL"] = ""

# Tests own their services: whatever Redis they use, this run's queue and keys have names
# no other run (or portal) shares, and a test deletes only keys under this prefix.
RUN_ID = os.environ.setdefault("TEST_RUN_ID", f"{os.getpid()}-{os.urandom(4).hex()}")
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"allas-test-{RUN_ID}"
os.environ["CELERY_BROKER_KEY_PREFIX"] = f"allas-test-{RUN_ID}:"

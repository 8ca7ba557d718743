"""The portal's own settings, plus one trivial view (the framework's floor) for the
benchmark to measure every page against. Used only by bench/proposals.py."""

from allas.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

"""The Hypothesis profiles, in one place: ``ci``, ``matrix``, ``dev`` (the default), ``thorough``."""

from __future__ import annotations

import hashlib
from typing import Any

from hypothesis import HealthCheck, Phase, settings

# Profiles, in one place. deadline=None everywhere: a round trip's time depends on torch's lazy
# initialisation and the disk, not on the code under test. report_multiple_bugs=False: one
# ClaimViolation per test keeps strict xfail(raises=ClaimViolation) exact.
# No explain phase: it traces every line of every example (three quarters of a violated cell's time);
# compat.run.conditions says what a violation needs. The ci profile leaves shrinking to compat.run.conditions
# too, which reduces along the features a case is made of in a few dozen runs instead of hundreds.
_COMMON: dict[str, Any] = {
    "deadline": None,
    "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    "report_multiple_bugs": False,
    "suppress_health_check": [HealthCheck.too_slow],
}
_UNSHRUNK = _COMMON | {"phases": _COMMON["phases"][:-1]}
settings.register_profile("ci", max_examples=8, derandomize=True, database=None, print_blob=False, **_UNSHRUNK)
# matrix: four times ci's search, derandomized (a rerun draws the same cases) but seeded by the release
# too (``release_seed``), so the releases of the matrix search different corners instead of the same 32.
settings.register_profile("matrix", max_examples=32, derandomize=True, database=None, print_blob=False, **_UNSHRUNK)
SEEDED_BY_RELEASE = frozenset({"matrix"})
settings.register_profile("dev", max_examples=25, **_COMMON)
settings.register_profile("thorough", max_examples=300, **_COMMON)
settings.load_profile("dev")


def release_seed(profile: str, nodeid: str, release: str) -> int | None:
    """Return the seed of one test's search under ``profile`` on ``release``, or None for Hypothesis's own.

    Only profiles in SEEDED_BY_RELEASE get one: the test's node id with the release, so the draws
    are stable per release and differ between releases.
    """
    if profile not in SEEDED_BY_RELEASE:
        return None
    return int.from_bytes(hashlib.sha256(f"{release}|{nodeid}".encode()).digest()[:8], "big")

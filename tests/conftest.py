"""Shared fixtures: the seed pages (skipped where ../shared is absent) and a Cleaner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from xcclean import Cleaner

settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# The suite is reproducible: "ci" replays the same examples every run. "dev" (new random examples
# each run) and "thorough" (1,000 each) explore: XCCLEAN_HYPOTHESIS=dev python -m pytest.
settings.load_profile(os.environ.get("XCCLEAN_HYPOTHESIS") or "ci")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


def seed_text(prefix: str) -> str:
    """The seed page whose file name starts with ``prefix`` (skip if not present)."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed pages not found under {SEEDS} (they live in ../shared/seeds)")
    return matches[0].read_text(encoding="utf-8")

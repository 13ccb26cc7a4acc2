"""Suite-wide settings: hypothesis profiles, markers, paths shared by the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/checks.py and friends
SHARED_DATA = ROOT.parent / "shared" / "data"

# "ci" runs at least 500 examples per property (the floor); "dev" is quicker.
settings.register_profile(
    "ci", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Network tests never run unless GEORANGE_NETWORK=1 is set (they are skipped, visibly)."""
    if os.environ.get("GEORANGE_NETWORK") == "1":
        return
    skip = pytest.mark.skip(reason="touches the network; set GEORANGE_NETWORK=1 to run it")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The CNS reference files beside the repository, or a skip that says how to get them."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent: the CNS reference copies live in ../shared/data")
    return SHARED_DATA

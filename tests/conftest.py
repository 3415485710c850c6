import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the test harnesses (tests/harness/) are not part of the package


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True, scope="session")
def _isolated_progress(tmp_path_factory):
    """Scenario progress written by widgets during tests goes to a temporary folder, never ~/."""
    os.environ["PEERSUPPORT_PROGRESS_DIR"] = str(tmp_path_factory.mktemp("progress"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item (rep_setup, rep_call), for failure screenshots."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


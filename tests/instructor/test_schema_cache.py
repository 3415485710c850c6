"""The worker's cached schema check gives exactly nbgrader's results, good metadata and bad."""

import copy

import jsonschema
import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator, ValidationError, common

from peersupport.instructor.autograde.worker import _CachedSchemaChecks


def _cell(meta):
    return nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": meta})


GOOD = {"schema_version": 3, "grade": True, "solution": False, "locked": True, "points": 2.0, "grade_id": "t1", "task": False}
BAD = [dict(GOOD, points="two"), dict(GOOD, grade_id=5), {k: v for k, v in GOOD.items() if k != "grade_id"}, dict(GOOD, extra=1)]


def _outcome(meta):
    try:
        MetadataValidator().validate_cell(_cell(copy.deepcopy(meta)))
        return "ok"
    except (ValidationError, jsonschema.ValidationError) as exc:
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("meta", [GOOD, *BAD])
def test_same_result_as_nbgrader(meta, monkeypatch):
    plain = _outcome(meta)
    monkeypatch.setattr(common, "jsonschema", _CachedSchemaChecks())
    assert _outcome(meta) == plain
    assert _outcome(meta) == plain  # and again, from the cached validator
    assert (plain == "ok") == (meta is GOOD)

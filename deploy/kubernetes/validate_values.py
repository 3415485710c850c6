#!/usr/bin/env python3
"""Check values.yaml the way helm does: the chart's defaults merged with ours, against the chart's values.schema.yaml.

    python deploy/kubernetes/validate_values.py CHART/values.yaml CHART/values.schema.yaml deploy/kubernetes/values.yaml

CHART is the jupyterhub chart folder (from its source repository or `helm pull --untar`). Exits 1 on any error.
"""
import sys

import jsonschema
import yaml

chart_values, chart_schema, ours = sys.argv[1:4]


def load(path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base.get(k), v) if k in base else v
        return out
    return over

schema = load(chart_schema)
merged = merge(load(chart_values), load(ours))
v = jsonschema.Draft7Validator(schema)
errs = list(v.iter_errors(merged))
for e in errs:
    print(list(e.path), e.message[:300])
print(f"{len(errs)} schema error(s)")
bad = merge(merged, {"singleuser": {"memmory": {"guarantee": "1G"}}})
print(f"control (a misspelt key): {len(list(v.iter_errors(bad)))} error(s)")
sys.exit(1 if errs else 0)

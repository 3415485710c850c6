#!/usr/bin/env bash
# Build the trainee image for Zero to JupyterHub with repo2docker, from environment.yml.
#
#   deploy/kubernetes/build-image.sh registry.example.org/peersupport/trainee:0.1.0
#   deploy/kubernetes/build-image.sh --stage-only DIR      # only lay out the build folder (no Docker needed)
#
# The image holds what trainees use (the package, scenarios/, modules/) at /srv/repo, outside the home
# folder that the chart mounts over /home/jovyan. It leaves out exercises/ and autograder/, which hold
# answer keys: those live only on the grader's course volume (grader.yaml).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
stage_only=""
if [ "${1:-}" = "--stage-only" ]; then stage_only=1; shift; fi
target="${1:?give an image name (or --stage-only DIR)}"

stage="$(mktemp -d)"
if [ -n "$stage_only" ]; then stage="$target"; mkdir -p "$stage"; fi
for part in environment.yml pyproject.toml README.md LICENSE src scenarios modules; do
  if [ -e "$repo/$part" ]; then cp -r "$repo/$part" "$stage/"; fi
done
find "$stage" -name __pycache__ -prune -exec rm -rf {} +
if [ -n "$stage_only" ]; then echo "staged in $stage"; exit 0; fi

command -v repo2docker >/dev/null || { echo "needs repo2docker (pip install jupyter-repo2docker) and Docker" >&2; exit 2; }
repo2docker --no-run --user-name jovyan --target-repo-dir /srv/repo --image-name "$target" "$stage"
rm -rf "$stage"
echo "built $target; push it and set singleuser.image in values.yaml"

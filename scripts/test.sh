#!/usr/bin/env bash
# Runs every test, oracle tests included, after installing what they need.
# This is the command the README gives and CI runs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
scripts/setup.sh
scripts/pg-oracle.sh start >/dev/null
export PATH="$repo/.venv/bin:$PATH"
cargo test --all-targets "$@"

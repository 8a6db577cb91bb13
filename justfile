# Tasks for migsim. `scripts/setup.sh` installs what they need.

set shell := ["bash", "-euo", "pipefail", "-c"]

default: build

# Install system packages and the oracle's Python environment.
setup:
    scripts/setup.sh

build:
    cargo build --release

# Every test, including the PostgreSQL and Alembic oracles.
test:
    scripts/test.sh

# Benchmarks: SQL replay (statements per second, peak memory) and a
# 1,000-revision Alembic project end to end (against real Alembic when the
# oracle's .venv is there).
bench:
    cargo bench --bench replay
    cargo bench --bench alembic

lint:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings

# What CI runs.
ci:
    bash .ci/run

# Start / stop the oracle PostgreSQL server by hand.
pg-start:
    scripts/pg-oracle.sh start

pg-stop:
    scripts/pg-oracle.sh stop

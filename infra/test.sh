#!/usr/bin/env bash
# Runs Baton's whole test suite against real infrastructure:
#   - PostgreSQL at BATON_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test);
#     each test creates and drops a database of its own;
#   - a Kafka-protocol broker: Tansu, started here on a free 127.0.0.1 port with durable
#     sqlite storage (unless BATON_TEST_KAFKA already names a running broker), with the
#     default baton.* topics pre-created; tests create their own uniquely-prefixed topics.
#   - Python with fastavro and confluent-kafka for the Python producer example's test (a
#     virtualenv is made when python3 lacks them).
# Stops what it started, by PID. Extra arguments go to `cargo nextest run`.
set -euo pipefail
cd "$(dirname "$0")/.."

export BATON_TEST_DATABASE_URL="${BATON_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
TANSU="${TANSU:-$(command -v tansu || echo "$HOME/.cargo/bin/tansu")}"

started_pid=""
workdir=""
cleanup() {
  if [ -n "$started_pid" ]; then kill "$started_pid" 2>/dev/null || true; wait "$started_pid" 2>/dev/null || true; fi
  if [ -n "$workdir" ]; then rm -rf "$workdir"; fi
}
trap cleanup EXIT

if [ -z "${BATON_TEST_KAFKA:-}" ]; then
  if [ ! -x "$TANSU" ]; then
    # Newer releases (renamed nisshi) need a newer Rust; 0.6.0 builds here (~17 CPU-minutes, once).
    echo "tansu not found: installing tansu 0.6.0 from crates.io (once; takes a while)…" >&2
    cargo install tansu@0.6.0 --locked --features libsql,dynostore
    TANSU="$HOME/.cargo/bin/tansu"
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  workdir=$(mktemp -d)
  # Tansu reads the sqlite URL's path relative to its working directory.
  (cd "$workdir" && exec "$TANSU" broker \
    --listener-url "tcp://127.0.0.1:$port" \
    --advertised-listener-url "tcp://127.0.0.1:$port" \
    --storage-engine "sqlite://tansu.db") >"$workdir/tansu.log" 2>&1 &
  started_pid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    if ! kill -0 "$started_pid" 2>/dev/null; then cat "$workdir/tansu.log" >&2; echo "tansu exited" >&2; exit 1; fi
    sleep 0.1
  done
  export BATON_TEST_KAFKA="127.0.0.1:$port"
  for t in events context.requests step.requests step.results approval.requests approval.decisions notifications audit deadletter; do
    "$TANSU" topic create "baton.$t" --partitions 4 --broker "tcp://127.0.0.1:$port" >/dev/null 2>&1 \
      || echo "note: could not pre-create baton.$t (tests create their own topics)" >&2
  done
  created=$("$TANSU" topic list --broker "tcp://127.0.0.1:$port" 2>/dev/null \
    | python3 -c 'import json,sys; print(sum(t["name"].startswith("baton.") for t in json.load(sys.stdin)))' 2>/dev/null || echo 0)
  echo "tansu (pid $started_pid) on $BATON_TEST_KAFKA, storage $workdir/tansu.db, $created baton.* topics pre-created"
fi

# The Python producer example's test needs fastavro and confluent-kafka: the interpreter in
# BATON_TEST_PYTHON, else python3 when it has them, else a virtualenv made once beside the
# build (pip from PyPI).
if [ -z "${BATON_TEST_PYTHON:-}" ]; then
  if python3 -c 'import fastavro, confluent_kafka' 2>/dev/null; then
    BATON_TEST_PYTHON=python3
  else
    # Absolute: the tests run it from their crate's directory.
    venv="$(realpath -m "${CARGO_TARGET_DIR:-target}")/py-producers"
    if ! "$venv/bin/python" -c 'import fastavro, confluent_kafka' 2>/dev/null; then
      echo "installing fastavro and confluent-kafka into $venv (once)" >&2
      python3 -m venv "$venv"
      "$venv/bin/python" -m pip install --quiet fastavro confluent-kafka
    fi
    BATON_TEST_PYTHON="$venv/bin/python"
  fi
fi
export BATON_TEST_PYTHON
# The PM5 fault run's tests start a Tansu of their own: the same binary.
export TANSU

cargo nextest run --workspace --no-fail-fast "$@"

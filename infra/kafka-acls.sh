#!/usr/bin/env bash
# Per-service Kafka ACLs for a broker that enforces them (Apache Kafka with an authorizer,
# e.g. StandardAuthorizer + SASL/mTLS principals). Tansu, the test broker, does not enforce
# ACLs: the test suite cannot check these, so review them against your deployment.
#
#   KAFKA_BOOTSTRAP=host:9092 [KAFKA_COMMAND_CONFIG=admin.properties] [PREFIX=baton.] \
#     [DRY_RUN=1] infra/kafka-acls.sh
#
# Principals: User:baton-<service> for each service, User:baton-cli (operators),
# User:baton-ingress (webhook and cron producers, the Slack gateway), User:baton-ops (audit
# and dead-letter readers). Change PRINCIPAL_PREFIX if yours are named otherwise.
#
# Why the services may write most topics: in Kafka mode every service runs the outbox relay,
# and whichever holds the relay lock publishes every service's staged messages. What a
# service may not write is where decisions and outside events enter: baton.approval.decisions
# is written only by the CLI and the ingress, and the router checks every approval result
# against the gate the approval-gateway decided in the database (a forged step result moves
# nothing). Reads are per service: each consumes only its own topics, in its own group.
set -euo pipefail

BOOTSTRAP="${KAFKA_BOOTSTRAP:?set KAFKA_BOOTSTRAP to the broker address (host:port)}"
PREFIX="${PREFIX:-baton.}"
PP="${PRINCIPAL_PREFIX:-User:baton-}"
ACLS="${KAFKA_ACLS:-kafka-acls.sh}"
extra=()
if [ -n "${KAFKA_COMMAND_CONFIG:-}" ]; then extra=(--command-config "$KAFKA_COMMAND_CONFIG"); fi

acl() { # principal operation resource-type [resource]
  local resource=("--$3")
  if [ -n "${4:-}" ]; then resource+=("$4"); fi
  local cmd=("$ACLS" --bootstrap-server "$BOOTSTRAP" "${extra[@]}" --add
    --allow-principal "$1" --operation "$2" "${resource[@]}")
  if [ -n "${DRY_RUN:-}" ]; then echo "${cmd[*]}"; else "${cmd[@]}"; fi
}
consumes() { # service topics…
  local svc=$1; shift
  for t in "$@"; do
    acl "$PP$svc" Read topic "$PREFIX$t"
    acl "$PP$svc" Describe topic "$PREFIX$t"
  done
  acl "$PP$svc" Read group "$PREFIX$svc"
}
writes() { # principal topics…
  local who=$1; shift
  for t in "$@"; do acl "$who" Write topic "$PREFIX$t"; acl "$who" Describe topic "$PREFIX$t"; done
}

relayed=(events context.requests step.requests step.results approval.requests notifications audit deadletter)

consumes router events step.results
consumes context-loader context.requests
consumes step-executor step.requests
consumes approval-gateway approval.requests approval.decisions
consumes notifier notifications
for svc in router context-loader step-executor approval-gateway notifier; do
  writes "$PP$svc" "${relayed[@]}"
  acl "$PP$svc" IdempotentWrite cluster
done

writes "${PP}cli" events approval.decisions
writes "${PP}ingress" events approval.decisions
consumes ops audit deadletter

#!/usr/bin/env bash
# Runs schemathesis (PyPI) against a live `winnow serve` on loopback, with an admin token, on every
# operation of the OpenAPI document. Installs schemathesis if it is missing. Exit status: its own.
#   bash scripts/schemathesis.sh [WINNOW_BINARY] [MAX_EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/debug/winnow}
examples=${2:-50}
command -v schemathesis >/dev/null || python3 -m pip install --quiet schemathesis
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
token=$("$bin" serve token create --data "$data" --name schemathesis --scope admin 2>/dev/null)
"$bin" registry import SampleRequests/registry/demo.json --registry "$data/registry.sqlite" --create-registry >/dev/null
"$bin" serve --data "$data" --port "$port" --log-level error &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
# positive_data_acceptance is left out: a request can be valid by the JSON Schema and still be
# refused with 422 for what a schema cannot say (a reference to a person who is not in the request,
# a received date before the decision, an as-of day in the future, an import of an unknown version).
schemathesis run "http://127.0.0.1:$port/openapi.json" --header "Authorization: Bearer $token" \
    --checks all --exclude-checks positive_data_acceptance --max-examples "$examples" --workers 1

#!/bin/sh
# Runs the official Autobahn testsuite (fuzzingclient mode) against a server on 127.0.0.1:9001 and summarises
# the result. Needs Docker; `make conformance-autobahn` starts and stops the echo server around it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/conformance/reports/autobahn"
mkdir -p "$out"
# The image runs in /, so the spec's "./reports/servers" is the mounted /reports/servers.
docker run --rm --network host -w / \
    -v "$here:/config:ro" \
    -v "$out:/reports" \
    crossbario/autobahn-testsuite \
    wstest -m fuzzingclient -s /config/fuzzingclient.json
lib="$root/conformance/target/lib"
java -cp "$root/protocol/target/classes:$root/reactor/target/classes:$root/conformance/target/classes:$lib/jackson-databind.jar:$lib/jackson-core.jar:$lib/jackson-annotations.jar" \
    dev.wsreactor.conformance.ReportSummarizer "$out/servers/index.json"

#!/usr/bin/env bash
# The image's entry point: what bin/ons-bridge does, minus the build. Arguments are bridge flags
# (e.g. --help); settings usually come as ONS_BRIDGE_* environment variables.
set -euo pipefail
home="${ONS_BRIDGE_HOME:-/opt/ons-bridge}"   # where the image keeps ons-bridge.jar and lib/
data_dir="${ONS_BRIDGE_DATA_DIR:-/var/lib/ons-bridge}"
mkdir -p "$data_dir/tmp"

# IPv4: message ids embed the host address (32 hex characters, not 56).
# TLS off: RocketMQ's remoting would otherwise make a self-signed certificate at every start (~1 s).
# tmpdir: RocksDB extracts its native library at every start; keep it in the data dir.
# exec: java becomes PID 1 and gets docker stop's SIGTERM, which runs the bridge's orderly shutdown.
# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec java ${JAVA_OPTS:-} \
  -Djava.net.preferIPv4Stack=true \
  -Dtls.server.mode=disabled \
  -Djava.io.tmpdir="$data_dir/tmp" \
  -jar "$home/ons-bridge.jar" "$@"

#!/usr/bin/env bash
# The image's HEALTHCHECK: exit 0 when GET /health answers 200, 1 otherwise (503: the cluster's name
# server does not answer; nothing listening; no answer within 5 s). bash's /dev/tcp does the request,
# so the runtime image needs neither curl nor wget.
exec 3<>"/dev/tcp/127.0.0.1/${ONS_BRIDGE_HTTP_PORT:-8080}" || exit 1
printf 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status_line <&3 || exit 1
case "$status_line" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) exit 1 ;;
esac

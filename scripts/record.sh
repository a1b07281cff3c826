#!/usr/bin/env bash
# Record golden traces from the private broker with the reference recorder (../shared/tools/pika_trace.py).
#   scripts/record.sh [--rabbitmq VERSION] SCENARIO.json...
# writes SCENARIO.jsonl beside each scenario from RabbitMQ 3.10 (the default), or VERSION/SCENARIO.jsonl
# beside it from another version (4.3: tests/scenarios/4.3/NAME.jsonl). The node must be running
# (scripts/broker.sh start VERSION).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${WARREN_RABBITMQ:-3.10}
if [ "${1:-}" = --rabbitmq ]; then version=$2; shift 2; fi
eval "export $("$here/broker.sh" env "$version")"
export PATH=$("$here/broker.sh" bin "$version"):$PATH
recorder=${WARREN_RECORDER:-$here/../../shared/tools/pika_trace.py}
for f in "$@"; do
  # logins, vhosts and rabbitmqctl steps: the recorder with its extension for them
  rec=$recorder
  if grep -qE '"(user|password|vhost)":|"call": *"(add_user|delete_user|change_password|set_user_tags|add_vhost|delete_vhost|set_permissions|clear_permissions)"' "$f"; then
    rec=$here/pika_trace_access.py
  fi
  out=${f%.json}.jsonl
  if [ "$version" != 3.10 ]; then mkdir -p "$(dirname "$f")/$version"; out=$(dirname "$f")/$version/$(basename "${f%.json}").jsonl; fi
  "${PYTHON:-/usr/bin/python3}" "$rec" "$f" --reset > "$out.tmp"
  mv "$out.tmp" "$out"
  echo "recorded $out" >&2
done

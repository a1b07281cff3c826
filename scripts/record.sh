#!/usr/bin/env bash
# Record golden traces from the private broker with the reference recorder (../shared/tools/pika_trace.py).
#   scripts/record.sh SCENARIO.json...   writes SCENARIO.jsonl beside each scenario
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
eval "export $("$here/broker.sh" env)"
export PATH=/usr/lib/rabbitmq/bin:$PATH
recorder=${WARREN_RECORDER:-$here/../../shared/tools/pika_trace.py}
for f in "$@"; do
  # logins, vhosts and rabbitmqctl steps: the recorder with its extension for them
  rec=$recorder
  if grep -qE '"(user|password|vhost)":|"call": *"(add_user|delete_user|change_password|set_user_tags|add_vhost|delete_vhost|set_permissions|clear_permissions)"' "$f"; then
    rec=$here/pika_trace_access.py
  fi
  "${PYTHON:-/usr/bin/python3}" "$rec" "$f" --reset > "${f%.json}.jsonl.tmp"
  mv "${f%.json}.jsonl.tmp" "${f%.json}.jsonl"
  echo "recorded ${f%.json}.jsonl" >&2
done

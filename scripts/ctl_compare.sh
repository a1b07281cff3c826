#!/usr/bin/env bash
# `warren ctl` against rabbitmqctl on the broker: for each scenario of tests/ctl/scenarios.txt and
# each listing command of `cmds` (and for tests/ctl/clients.txt, each of `client_cmds`: consumers,
# connections, channels, users, vhosts, permissions; made-up pids and ports left out), run the scenario on the engine and on the broker (clients still
# connected) and compare what rabbitmqctl -q prints, rows sorted (RabbitMQ lists in its table
# order) and server-made names (amq.gen-…) masked. With --record, write the broker's output to
# tests/ctl/ as the goldens engine/tests/ctl.rs checks offline. Needs the broker's environment
# (scripts/broker.sh env) and WARREN_RABBITMQCTL; prints "ctl: N same, M differ".
set -euo pipefail
cd "$(dirname "$0")/.."
record=${1:-}
URL="amqp://guest:guest@127.0.0.1:${AMQP_PORT}/%2f"
W="./target/debug/warren --rabbitmq ${WARREN_RABBITMQ:-3.10}"
norm() { sed -E 's/amq\.gen-[A-Za-z0-9_-]+/amq.gen-*/g; s/amq\.ctag-[A-Za-z0-9_-]+/amq.ctag-*/g' | { IFS= read -r h || true; [ -n "${h:-}" ] && echo "$h"; sort; }; }
cmds=(
  "list_queues name messages_ready messages_unacknowledged messages consumers durable auto_delete exclusive arguments type"
  "list_exchanges name type durable auto_delete internal arguments"
  "list_bindings"
)
# 4.x has no global prefetch column (the engine refuses it as the broker does: engine/tests/ctl.rs)
global_prefetch=" global_prefetch_count"
if [ "${WARREN_RABBITMQ:-3.10}" = 4.3 ]; then global_prefetch=""; fi
client_cmds=(
  "list_consumers queue_name consumer_tag ack_required prefetch_count active activity_status arguments"
  "list_connections user vhost state channels protocol auth_mechanism"
  "list_channels user vhost confirm transactional consumer_count messages_unacknowledged prefetch_count${global_prefetch}"
  "list_users"
  "list_vhosts name tracing"
  "list_permissions"
)
same=0; differ=0
compare() {
  local f=$1 fresh=$2; shift 2
  for c in "$@"; do
    # users, vhosts and permissions outlive a scenario: those listings start from a reset broker
    if [ "$fresh" = fresh ]; then scripts/broker.sh reset </dev/null >/dev/null; fi
    name="tests/ctl/$(basename "$f" .json).${c%% *}.txt"
    # shellcheck disable=SC2086
    broker=$($W ctl --amqp "$URL" "$f" $c)
    if [ "$record" = --record ]; then printf '%s' "$broker" > "$name"; fi
    # shellcheck disable=SC2086
    ours=$($W ctl "$f" $c)
    if [ "$(norm <<<"$ours")" = "$(norm <<<"$broker")" ]; then
      same=$((same + 1))
    else
      differ=$((differ + 1)); echo "$f: $c: differs"; diff <(norm <<<"$ours") <(norm <<<"$broker") || true
    fi
  done
}
scripts/broker.sh reset </dev/null >/dev/null
while read -r f; do [ -n "$f" ] && compare "$f" as-is "${cmds[@]}"; done < tests/ctl/scenarios.txt
while read -r f; do [ -n "$f" ] && compare "$f" fresh "${client_cmds[@]}"; done < tests/ctl/clients.txt
echo "ctl: $same same, $differ differ"
[ "$differ" = 0 ]

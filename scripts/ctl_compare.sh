#!/usr/bin/env bash
# `warren ctl` against rabbitmqctl on the broker: for each scenario of tests/ctl/scenarios.txt and
# each listing command below, run the scenario on the engine and on the broker (clients still
# connected) and compare what rabbitmqctl -q prints, rows sorted (RabbitMQ lists in its table
# order) and server-made names (amq.gen-…) masked. With --record, write the broker's output to
# tests/ctl/ as the goldens engine/tests/ctl.rs checks offline. Needs the broker's environment
# (scripts/broker.sh env) and WARREN_RABBITMQCTL; prints "ctl: N same, M differ".
set -euo pipefail
cd "$(dirname "$0")/.."
record=${1:-}
URL="amqp://guest:guest@127.0.0.1:${AMQP_PORT}/%2f"
W=./target/debug/warren
norm() { sed -E 's/amq\.gen-[A-Za-z0-9_-]+/amq.gen-*/g; s/amq\.ctag-[A-Za-z0-9_-]+/amq.ctag-*/g' | { IFS= read -r h || true; [ -n "${h:-}" ] && echo "$h"; sort; }; }
cmds=(
  "list_queues name messages_ready messages_unacknowledged messages consumers durable auto_delete exclusive arguments type"
  "list_exchanges name type durable auto_delete internal arguments"
  "list_bindings"
)
same=0; differ=0
while read -r f; do
  [ -z "$f" ] && continue
  for c in "${cmds[@]}"; do
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
done < tests/ctl/scenarios.txt
echo "ctl: $same same, $differ differ"
[ "$differ" = 0 ]

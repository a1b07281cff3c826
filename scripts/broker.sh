#!/usr/bin/env bash
# A private RabbitMQ node on loopback for Warren's conformance tests.
#
#   scripts/broker.sh start   install Debian's rabbitmq-server if missing, start the node, wait until it answers
#   scripts/broker.sh reset   stop_app, reset, start_app (a clean broker between scenarios)
#   scripts/broker.sh stop    stop the node we started, by its process id
#   scripts/broker.sh env     print the variables that name the node (for pika_trace.py and rabbitmqctl)
#
# The node has its own name, AMQP port, epmd port and data directory, so it never touches another
# broker on the machine. Override with WARREN_BROKER_PORT / WARREN_BROKER_DIR.
set -euo pipefail

PORT=${WARREN_BROKER_PORT:-5699}
DIR=${WARREN_BROKER_DIR:-/tmp/warren-broker-$PORT}
export RABBITMQ_NODENAME=warren$PORT@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$PORT
export RABBITMQ_DIST_PORT=$((PORT + 20000))
export ERL_EPMD_PORT=$((PORT - 1300))
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE=$DIR/mnesia
export RABBITMQ_LOG_BASE=$DIR/log
export RABBITMQ_PID_FILE=$DIR/node.pid
export RABBITMQ_ENABLED_PLUGINS_FILE=$DIR/enabled_plugins
export RABBITMQ_CONFIG_FILE=$DIR/rabbitmq
export RABBITMQ_ADVANCED_CONFIG_FILE=$DIR/advanced.config
export RABBITMQ_CONF_ENV_FILE=$DIR/rabbitmq-env.conf
export HOME=${HOME:-/root}
RMQ_BIN=/usr/lib/rabbitmq/bin

ctl() { "$RMQ_BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" "$@"; }

install() {
  if [ ! -x "$RMQ_BIN/rabbitmq-server" ]; then
    echo "broker: installing Debian's rabbitmq-server" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  # the package may start a system broker of its own; ours does not depend on it
}

start() {
  install
  mkdir -p "$DIR/mnesia" "$DIR/log"
  : > "$DIR/enabled_plugins.tmp"; echo "[]." > "$DIR/enabled_plugins"; rm -f "$DIR/enabled_plugins.tmp"
  printf 'loopback_users = none\nlisteners.tcp.1 = 127.0.0.1:%s\n' "$PORT" > "$DIR/rabbitmq.conf"
  echo "[]." > "$DIR/advanced.config"
  : > "$DIR/rabbitmq-env.conf"
  if [ -f "$DIR/server.pid" ] && kill -0 "$(cat "$DIR/server.pid")" 2>/dev/null; then
    echo "broker: already running (pid $(cat "$DIR/server.pid"), port $PORT)" >&2
    return 0
  fi
  epmd -port "$ERL_EPMD_PORT" -address 127.0.0.1 -daemon 2>/dev/null || true
  setsid "$RMQ_BIN/rabbitmq-server" > "$DIR/log/console.log" 2>&1 < /dev/null &
  echo $! > "$DIR/server.pid"
  for _ in $(seq 1 120); do
    if ctl await_startup >/dev/null 2>&1; then
      echo "broker: node $RABBITMQ_NODENAME answers on 127.0.0.1:$PORT (pid $(cat "$DIR/server.pid"))" >&2
      return 0
    fi
    sleep 1
  done
  echo "broker: node did not start; see $DIR/log" >&2
  tail -20 "$DIR/log/console.log" >&2 || true
  return 1
}

reset() {
  # quiet on success; rabbitmqctl's warnings and errors are shown if a step fails
  local out
  for step in stop_app reset start_app; do
    if ! out=$(ctl "$step" 2>&1); then
      echo "broker: rabbitmqctl $step failed:" >&2
      echo "$out" >&2
      return 1
    fi
  done
}

stop() {
  if [ -f "$DIR/server.pid" ]; then
    pid=$(cat "$DIR/server.pid")
    ctl stop >/dev/null 2>&1 || true
    # the launcher's process group holds the Erlang VM; end it by its id
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    rm -f "$DIR/server.pid"
  fi
  if [ -f "$DIR/epmd.pid" ]; then kill "$(cat "$DIR/epmd.pid")" 2>/dev/null || true; rm -f "$DIR/epmd.pid"; fi
  pkill -f "epmd -port $ERL_EPMD_PORT" 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  reset) reset ;;
  env) echo "AMQP_PORT=$PORT RABBITMQ_NODENAME=$RABBITMQ_NODENAME ERL_EPMD_PORT=$ERL_EPMD_PORT" ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac

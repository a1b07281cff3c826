#!/usr/bin/env bash
# A private RabbitMQ node on loopback for Warren's conformance tests: 3.10 (Debian 12's
# rabbitmq-server, 3.10.8) or 4.3 (Debian unstable's, 4.3.6 with Erlang 29, in a Debian unstable
# root made with debootstrap, run through chroot).
#
#   scripts/broker.sh start [VERSION]   install the broker if missing, start the node, wait until it answers
#   scripts/broker.sh reset [VERSION]   stop_app, reset, start_app (a clean broker between scenarios)
#   scripts/broker.sh stop [VERSION]    stop the node we started, by its process id
#   scripts/broker.sh env [VERSION]     print the variables that name the node (for pika_trace.py and rabbitmqctl)
#   scripts/broker.sh bin [VERSION]     print the directory whose rabbitmqctl speaks to that node
#   scripts/broker.sh root [VERSION]    print the root the node runs in (4.3; nothing for 3.10): a
#                                       file rabbitmqctl reads must be in it
#
# VERSION is 3.10 (the default, or WARREN_RABBITMQ) or 4.3. Each node has its own name, AMQP
# port (3.10: 5699, 4.3: 5799), epmd port and data directory, so it never touches another broker
# on the machine. Override with WARREN_BROKER_PORT / WARREN_BROKER_DIR; the 4.3 root is
# WARREN_BROKER_ROOT (default /var/cache/warren/rabbitmq-4.3).
set -euo pipefail

VERSION=${2:-${WARREN_RABBITMQ:-3.10}}
case "$VERSION" in
  3.10) DEFAULT_PORT=5699 ;;
  4.3) DEFAULT_PORT=5799 ;;
  *) echo "broker: no RabbitMQ $VERSION here (3.10 or 4.3)" >&2; exit 2 ;;
esac
PORT=${WARREN_BROKER_PORT:-$DEFAULT_PORT}
ROOT=""
if [ "$VERSION" = 4.3 ]; then ROOT=${WARREN_BROKER_ROOT:-/var/cache/warren/rabbitmq-4.3}; fi
# the node's directory as the node sees it (inside the root for 4.3), and as this script does
DIR=${WARREN_BROKER_DIR:-/tmp/warren-broker-$PORT}
HOST_DIR=$ROOT$DIR
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
# how a command of the broker's runs: as it is, or in the 4.3 root
ROOT_RUN=()
if [ -n "$ROOT" ]; then ROOT_RUN=(env HOME=/root chroot "$ROOT"); fi
in_root() { "${ROOT_RUN[@]}" "$@"; }
# a directory with a rabbitmqctl that speaks to this node (for the recorders, which call it by name)
BIN_DIR=$RMQ_BIN
if [ -n "$ROOT" ]; then BIN_DIR=$ROOT-bin; fi

ctl() { in_root "$RMQ_BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" "$@"; }

install() {
  if [ -n "$ROOT" ]; then install_root; return; fi
  if [ ! -x "$RMQ_BIN/rabbitmq-server" ]; then
    echo "broker: installing Debian's rabbitmq-server" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  # the package may start a system broker of its own; ours does not depend on it
}

# The first Debian package registry the machine's apt sources name.
mirror() {
  local m
  m=$(grep -hoE '^(deb|URIs:) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -v security | head -1 | awk '{print $2}')
  echo "${m:-http://deb.debian.org/debian}"
}

# RabbitMQ 4.3: Debian unstable's rabbitmq-server in a root of its own (debootstrap, minbase).
# The registry is a dated snapshot: apt is told not to mind its Valid-Until.
install_root() {
  if [ -x "$ROOT$RMQ_BIN/rabbitmq-server" ]; then mount_root; return; fi
  if [ "$(id -u)" != 0 ]; then echo "broker: making the 4.3 root needs root" >&2; exit 1; fi
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  echo "broker: making a Debian unstable root for RabbitMQ 4.3 in $ROOT (debootstrap, minbase)" >&2
  mkdir -p "$(dirname "$ROOT")"
  debootstrap --variant=minbase unstable "$ROOT" "$(mirror)" > "$ROOT.debootstrap.log" 2>&1 \
    || { tail -20 "$ROOT.debootstrap.log" >&2; exit 1; }
  mount_root
  # no service starts inside the root: we start the node ourselves
  printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"; chmod +x "$ROOT/usr/sbin/policy-rc.d"
  echo "broker: installing rabbitmq-server in it" >&2
  chroot "$ROOT" apt-get -o Acquire::Check-Valid-Until=false update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive chroot "$ROOT" apt-get -o Acquire::Check-Valid-Until=false \
    install -y -qq --no-install-recommends rabbitmq-server > "$ROOT.install.log" 2>&1 \
    || { tail -20 "$ROOT.install.log" >&2; exit 1; }
  echo "broker: $(chroot "$ROOT" dpkg-query -W rabbitmq-server erlang-base | tr '\t' ' ' | paste -sd, -)" >&2
}

mount_root() {
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
  # the node is name@localhost: the root must know that name (minbase writes no hosts file)
  grep -qw localhost "$ROOT/etc/hosts" 2>/dev/null || printf '127.0.0.1 localhost\n::1 localhost\n' >> "$ROOT/etc/hosts"
  # rabbitmqctl for the recorders: the root's, run through chroot with this node's variables
  mkdir -p "$BIN_DIR"
  printf '#!/bin/sh\nexec env HOME=/root chroot %s %s/rabbitmqctl "$@"\n' "$ROOT" "$RMQ_BIN" > "$BIN_DIR/rabbitmqctl"
  chmod +x "$BIN_DIR/rabbitmqctl"
}

start() {
  install
  mkdir -p "$HOST_DIR/mnesia" "$HOST_DIR/log"
  echo "[]." > "$HOST_DIR/enabled_plugins"
  printf 'loopback_users = none\nlisteners.tcp.1 = 127.0.0.1:%s\n' "$PORT" > "$HOST_DIR/rabbitmq.conf"
  echo "[]." > "$HOST_DIR/advanced.config"
  : > "$HOST_DIR/rabbitmq-env.conf"
  if [ -f "$HOST_DIR/server.pid" ] && kill -0 "$(cat "$HOST_DIR/server.pid")" 2>/dev/null; then
    echo "broker: already running (pid $(cat "$HOST_DIR/server.pid"), port $PORT)" >&2
    return 0
  fi
  in_root epmd -port "$ERL_EPMD_PORT" -address 127.0.0.1 -daemon 2>/dev/null || true
  setsid "${ROOT_RUN[@]}" "$RMQ_BIN/rabbitmq-server" > "$HOST_DIR/log/console.log" 2>&1 < /dev/null &
  echo $! > "$HOST_DIR/server.pid"
  for _ in $(seq 1 120); do
    if ctl await_startup >/dev/null 2>&1; then
      echo "broker: RabbitMQ $VERSION node $RABBITMQ_NODENAME answers on 127.0.0.1:$PORT (pid $(cat "$HOST_DIR/server.pid"))" >&2
      return 0
    fi
    sleep 1
  done
  echo "broker: node did not start; see $HOST_DIR/log" >&2
  tail -20 "$HOST_DIR/log/console.log" >&2 || true
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
  if [ -f "$HOST_DIR/server.pid" ]; then
    pid=$(cat "$HOST_DIR/server.pid")
    ctl stop >/dev/null 2>&1 || true
    # the launcher's process group holds the Erlang VM; end it by its id
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    rm -f "$HOST_DIR/server.pid"
  fi
  if [ -f "$HOST_DIR/epmd.pid" ]; then kill "$(cat "$HOST_DIR/epmd.pid")" 2>/dev/null || true; rm -f "$HOST_DIR/epmd.pid"; fi
  pkill -f "epmd -port $ERL_EPMD_PORT" 2>/dev/null || true
  if [ -n "$ROOT" ]; then release_root; fi
}

# The 4.3 root: an epmd an Erlang tool started in it by itself goes with the last node, and so
# do the mounts, once nothing runs in the root.
release_root() {
  local pid others=""
  for pid in $(pgrep -x epmd 2>/dev/null) $(pgrep -f beam 2>/dev/null); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT" ] || continue
    case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
      epmd) ;;
      *) others=1 ;;
    esac
  done
  [ -n "$others" ] && return 0
  for pid in $(pgrep -x epmd 2>/dev/null); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT" ] && kill "$pid" 2>/dev/null
  done
  mountpoint -q "$ROOT/proc" && umount "$ROOT/proc"
  mountpoint -q "$ROOT/dev" && umount "$ROOT/dev"
  return 0
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  reset) reset ;;
  env) echo "AMQP_PORT=$PORT RABBITMQ_NODENAME=$RABBITMQ_NODENAME ERL_EPMD_PORT=$ERL_EPMD_PORT" ;;
  bin) if [ -n "$ROOT" ]; then mount_root; fi; echo "$BIN_DIR" ;;
  root) echo "$ROOT" ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac

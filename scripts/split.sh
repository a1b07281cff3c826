#!/bin/sh
# Trunk's post_build hook (Trunk.toml): splits the page's wasm into the first load and a lazy
# module (split/, www/first-load.txt). WARREN_SPLIT=off leaves it whole; WARREN_SPLIT=instrument
# makes the profiling build scripts/first_load.sh reads.
set -e
case "${WARREN_SPLIT:-on}" in
  off) flag=--off ;;
  instrument) flag=--instrument ;;
  on) flag= ;;
  *) echo "WARREN_SPLIT is on, off or instrument, not '$WARREN_SPLIT'" >&2; exit 2 ;;
esac
exec cargo run -q --locked -p warren-split -- $flag "$TRUNK_STAGING_DIR"

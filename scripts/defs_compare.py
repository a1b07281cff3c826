#!/usr/bin/env python3
"""Compare the topology of two definitions files (ours, then the broker's export after importing
ours). RabbitMQ's import skips a binding whose source or destination is not in the file (an
internal exchange is never exported, an exclusive queue neither), so those are expected missing.
Prints "same" or the differences; exit status 1 on a difference."""
import json
import sys

ours, theirs = (json.load(open(f)) for f in sys.argv[1:3])
names = {("exchange", x["name"]) for x in ours["exchanges"]} | {("queue", q["name"]) for q in ours["queues"]}


def known(kind, name):
    return (kind == "exchange" and (name == "" or name.startswith("amq."))) or (kind, name) in names


ours["bindings"] = [b for b in ours["bindings"] if known("exchange", b["source"]) and known(b["destination_type"], b["destination"])]
bad = False
for k in ("queues", "exchanges", "bindings"):
    a = {json.dumps(x, sort_keys=True) for x in ours[k]}
    b = {json.dumps(x, sort_keys=True) for x in theirs[k]}
    if a != b:
        bad = True
        print(f"{k}: only in ours: {sorted(a - b)}; only on the broker: {sorted(b - a)}")
print("different" if bad else "same")
sys.exit(1 if bad else 0)

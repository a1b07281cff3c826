#!/usr/bin/env python3
"""Compare the topology of two definitions files (ours, then the broker's export after importing
ours; or with --direct, the broker's export of the same scenario). RabbitMQ's import skips a binding whose source or destination is not in the file (an
internal exchange is never exported, an exclusive queue neither), so those are expected missing.
Prints "same" or the differences; exit status 1 on a difference."""
import json
import sys

args = sys.argv[1:]
# --direct: theirs is the broker's own export of the scenario, its clients still connected (4.x
# refuses to import a file whose bindings name an internal exchange, which no export holds): its
# bindings to queues ours does not hold (exclusive ones, gone with their clients) and the
# auto-delete queues ours does not hold (their consumers gone) are left out
direct = args[0] == "--direct"
if direct:
    args = args[1:]
ours, theirs = (json.load(open(f)) for f in args[:2])
names = {("exchange", x["name"]) for x in ours["exchanges"]} | {("queue", q["name"]) for q in ours["queues"]}


def known(kind, name):
    return (kind == "exchange" and (name == "" or name.startswith("amq."))) or (kind, name) in names


if direct:
    theirs["bindings"] = [b for b in theirs["bindings"] if b["destination_type"] == "exchange" or known("queue", b["destination"])]
    # an auto-delete queue a client consumed from goes with the client: ours is after they left
    theirs["queues"] = [q for q in theirs["queues"] if not q["auto_delete"] or known("queue", q["name"])]
else:
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

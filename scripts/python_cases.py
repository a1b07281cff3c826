#!/usr/bin/env python3
"""The terminals' cases (tests/python/cases.json): each is command lines run as a person runs
them in terminals ("env": variables for warren; "pika": the real pika release its scripts were written for, 0.10.0 for the
0.x forms; the simulated terminals take both). Their expected output (tests/python/expected/NAME.json: each terminal's stdout
and exit status) was recorded from real pika on a real RabbitMQ.

  python_cases.py --sim VERSION [--hop MS]  run each on the simulated broker (warren python) and
                                            compare with what is expected (--hop: the network's
                                            hop, as warren python's --hop-ms)
  python_cases.py --amqp URL --reset CMD    run each with real pika on the broker at URL (CMD,
                                            run before each, resets it) and compare
  python_cases.py --amqp URL --reset CMD --record
                                            the same, writing what it gave as what is expected
  NAME...                                   only these cases

Exit status 1 if any case differs."""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = os.path.join(ROOT, "tests", "python")
WARREN = os.environ.get("WARREN", os.path.join(ROOT, "target", "debug", "warren"))


def args(argv):
    o = {"sim": None, "amqp": None, "reset": None, "record": False, "only": [], "hop": None}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--sim", "--amqp", "--reset", "--hop"):
            o[a[2:]] = argv[i + 1]
            i += 1
        elif a == "--record":
            o["record"] = True
        else:
            o["only"].append(a)
        i += 1
    return o


def seen(case, out):
    """What is compared: each terminal's command, stdout and exit status (and with "stderr_last",
    the last line of its stderr: the error pika or Python raised)."""
    got = []
    for t in out["terminals"]:
        g = {"command": t["command"], "stdout": t["stdout"], "exit": t["exit"]}
        if case.get("stderr_last"):
            g["stderr_last"] = t["stderr"][-1:]
        got.append(g)
    return got


def main():
    o = args(sys.argv[1:])
    cases = json.load(open(os.path.join(CASES, "cases.json")))
    failed = 0
    for case in cases:
        if o["only"] and case["name"] not in o["only"]:
            continue
        cmd = [WARREN, "python", "--json"]
        if o["amqp"]:
            if o["reset"]:
                subprocess.run(o["reset"], shell=True, check=True, capture_output=True)
            cmd += ["--amqp", o["amqp"]]
            if case.get("pika"):
                cmd += ["--pika", case["pika"]]
        else:
            cmd += ["--rabbitmq", o["sim"] or "4.3"]
            if o["hop"] is not None:
                cmd += ["--hop-ms", o["hop"]]
        for n, text in case.get("stdin", {}).items():
            cmd += ["--stdin", "%s=%s" % (n, text)]
        cmd += case["commands"]
        env = dict(os.environ, **case.get("env", {}))
        r = subprocess.run(cmd, cwd=os.path.join(CASES, case["dir"]), capture_output=True, text=True, env=env)
        if r.returncode != 0:
            print("%s: warren python failed (%d): %s" % (case["name"], r.returncode, r.stderr.strip()))
            failed += 1
            continue
        got = seen(case, json.loads(r.stdout))
        path = os.path.join(CASES, "expected", case["name"] + ".json")
        if o["record"]:
            with open(path, "w") as f:
                json.dump(got, f, indent=1, ensure_ascii=False)
                f.write("\n")
            print("%s: recorded" % case["name"])
            continue
        want = json.load(open(path))
        if got == want:
            print("%s: same" % case["name"])
            continue
        failed += 1
        print("%s: DIFFERS" % case["name"])
        for g, w in zip(got, want):
            if g != w:
                print("  terminal %r\n    got:      %s\n    expected: %s" % (w["command"], json.dumps(g), json.dumps(w)))
        print("  stderr:", r.stderr.strip()[:2000])
    print("python cases: %s" % ("all the same" if not failed else "%d differ" % failed))
    sys.exit(1 if failed else 0)


main()

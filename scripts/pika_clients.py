#!/usr/bin/env python3
"""The clients of a design, on the page and for real: the pika scripts Warren exports, run on a
real RabbitMQ, receive the same messages in the same order per client, and finish them in the
same order, as `warren play` says the page's clients do.

    scripts/pika_clients.py [--python PY] [--random COUNT SEED] DESIGN.json...

(--random: COUNT random designs from SEED on as well, see random_design; a failure names its
file, target/pika-clients/random/random-SEED.json (pika-clients-4.3/ for 4.3), to replay it alone.)

For each design: a copy for the test (see prepare), `warren export pika` of it, `warren play
--hop-ms 1` of it (a network as fast as loopback: the page draws each hop in 400 ms, a loopback
broker takes about a millisecond); then on the broker (reset first, scripts/broker.sh): setup.py,
every consumer script started and waiting, then each producer script in the canvas's order. Each
line a script prints is stamped when it arrives. Compared:
  - per client, the bodies it received, in order (a consumer's ' [x] Received', a producer's
    ' [.] Got' for the replies an RPC client reads itself);
  - the order in which callbacks finish (' [x] Done' against the page's ack): for any two whose
    simulated instants are more than TOL_MS apart, the broker's clients finish them in the same
    order;
  - an RPC client's replies (its calls are one at a time): the time between two replies, on the
    page and for real, within TOL_MS;
  - how long each callback ran, from when it could start (its delivery arrived and the client's
    callback before it had returned: one at a time) to its end: the page's and the script's
    differ by at most DURATION_TOL_MS (the script's own work around its time.sleep).
Exit status 1 if any design differs; the lines printed say which and how.
"""
import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time

TOL_MS = 150
# a callback's time.sleep and the script's own work around it: a few ms on a real client
DURATION_TOL_MS = 60
# two callbacks of different clients that end closer than this on the page could end in either
# order on a real broker (seen: within 3 ms of the page's instants), and a prefetch window freed
# first gets the next message: the test shifts processing times until the page has no such
# near-tie
NEAR_TIE_MS = 25
DRIFT_MS = 4
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WARREN = os.path.join(ROOT, "target", "debug", "warren")
# the broker's version (scripts/broker.sh, scripts/live_test.sh): the simulator runs as it
VERSION = ["--rabbitmq", os.environ["WARREN_RABBITMQ"]] if os.environ.get("WARREN_RABBITMQ") else []
OUT = "pika-clients" + ("-" + os.environ["WARREN_RABBITMQ"] if os.environ.get("WARREN_RABBITMQ", "3.10") != "3.10" else "")


def nodes(canvas, kind):
    return [n for n in canvas["nodes"] if n["kind"] == kind]


def consumer_queue(canvas, consumer):
    for link in canvas["links"]:
        if link["to"] == consumer["id"]:
            for n in canvas["nodes"]:
                if n["id"] == link["from"] and n["kind"] == "queue":
                    return n
    return None


def reply_readers(canvas):
    """Consumers that read a producer's callback queue: the producer's own script reads it (as
    the RPC tutorial's client does), so their deliveries are the producer's."""
    out = {}
    for p in nodes(canvas, "producer"):
        for c in nodes(canvas, "consumer"):
            q = consumer_queue(canvas, c)
            if q and p.get("reply_to") and q["name"] == p["reply_to"]:
                out[c["name"]] = p["name"]
    return out


def play(path):
    # a hop of 1 ms: the loopback broker's round trip, about what a real ack and the next
    # delivery take (with 0, each callback of a busy client would drift a few ms a task)
    out = subprocess.run([WARREN, *VERSION, "play", path, "--hop-ms", "1"], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def simulated(lines, readers, auto_ack):
    """Per client: bodies received in order; finishes: (client, body, t_ms) of manual-ack callbacks."""
    received, finishes, body_of = {}, [], {}
    for l in lines:
        if l["kind"] == "delivered" and not l.get("get"):
            who = readers.get(l["client"], l["client"])
            received.setdefault(who, []).append((l["body"], l["t_ms"]))
            body_of[(l["client"], l["message"])] = l["body"]
        elif l["kind"] in ("acked", "nacked") and l["client"] not in auto_ack:
            finishes.append((l["client"], body_of[(l["client"], l["message"])], l["t_ms"]))
    return received, finishes


def near_ties(finishes):
    # the margin grows with how many callbacks each client ran before (a real client's own
    # work adds a little to every one)
    nth, counts = {}, {}
    for c, b, _ in sorted(finishes, key=lambda f: f[2]):
        counts[c] = counts.get(c, 0) + 1
        nth[(c, b)] = counts[c]
    fs = sorted(finishes, key=lambda f: f[2])
    margin = lambda a, b: NEAR_TIE_MS + DRIFT_MS * max(nth[(a[0], a[1])], nth[(b[0], b[1])])
    return [(a, b) for a, b in zip(fs, fs[1:]) if a[0] != b[0] and b[2] - a[2] < margin(a, b)]


def prepare(src, work):
    """The design as the test runs it, or a reason to leave it out. Producers publish once (their
    scripts do), and consumers' processing times are shifted by a few tens of ms where the page
    would have two clients finish at nearly the same instant (a race on a real broker)."""
    d = json.load(open(src))
    canvas = d.get("canvas")
    if not canvas:
        return None, "no canvas"
    if canvas.get("users"):
        return None, "users and permissions (pika cannot create them)"
    consumers = nodes(canvas, "consumer")
    if not consumers:
        return None, "no consumer"
    if any(c.get("failure_pct", 0) > 0 for c in consumers):
        return None, "consumers that fail at random (the page's seeded choice is not Python's random)"
    for p in nodes(canvas, "producer"):
        p["every_ms"] = 0
    base = {c["id"]: c.get("processing_ms", 1000) for c in consumers}
    readers = reply_readers(canvas)
    auto_ack = {c["name"] for c in consumers if c.get("auto_ack")}
    path = os.path.join(work, "design.json")
    for attempt in range(40):
        for k, c in enumerate(consumers):
            c["processing_ms"] = base[c["id"]] + (attempt * (37 + 23 * k) * k) % 300
        json.dump(d, open(path, "w"), indent=1)
        lines = play(path)
        received, finishes = simulated(lines, readers, auto_ack)
        if not near_ties(finishes):
            return (path, lines, received, finishes, readers, auto_ack), None
    return None, "every shift of the processing times left a near-tie"


class Script:
    """A Python script running, each line it prints stamped (ms since `t0`) as it arrives."""

    def __init__(self, py, path, t0):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.name = os.path.basename(path)
        self.p = subprocess.Popen([py, "-u", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, env=env, start_new_session=True)
        self.lines = queue.Queue()
        self.seen = []
        self.t0 = t0

        def read():
            for line in self.p.stdout:
                self.lines.put(((time.monotonic() - self.t0) * 1000, line.rstrip("\n")))

        threading.Thread(target=read, daemon=True).start()

    def drain(self):
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                return self.seen

    def wait_for(self, text, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(text in l for _, l in self.drain()):
                return True
            time.sleep(0.01)
        return False

    def stop(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGINT)
            try:
                self.p.wait(3)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait()
        time.sleep(0.05)
        return self.drain()


BODY = re.compile(r"b'((?:[^'\\]|\\.)*)'")


def body_of(line):
    m = BODY.search(line)
    return m.group(1).encode().decode("unicode_escape") if m else None


def real_run(py, d, canvas, readers, expected_end_ms):
    subprocess.run([os.path.join(ROOT, "scripts", "broker.sh"), "reset"], check=True, capture_output=True)
    subprocess.run([py, os.path.join(d, "setup.py")], check=True, capture_output=True, timeout=30)
    t0 = time.monotonic()
    consumers = []
    for c in nodes(canvas, "consumer"):
        if c["name"] in readers:
            continue
        path = os.path.join(d, "consumer_%s.py" % var(c["name"]))
        s = Script(py, path, t0)
        s.client = c["name"]
        consumers.append(s)
        # one after the other, in the canvas's order, as the page subscribes them: a queue's
        # first delivery goes to its first consumer
        if not s.wait_for("Waiting for messages", 15):
            raise RuntimeError("%s did not start: %s" % (s.name, s.stop()))
    start = (time.monotonic() - t0) * 1000
    producers = []
    for p in nodes(canvas, "producer"):
        path = os.path.join(d, "producer_%s.py" % var(p["name"]))
        if not os.path.exists(path):
            continue
        s = Script(py, path, t0)
        s.client = p["name"]
        s.p.wait(60)
        producers.append(s)
    # let every callback run: the page's last instant, and some time more
    deadline = time.monotonic() + expected_end_ms / 1000 + 2
    while time.monotonic() < deadline:
        time.sleep(0.1)
    received, finishes = {}, []
    for s in consumers + producers:
        last = None
        for t, line in s.stop():
            if " [x] Received" in line or " [.] Got" in line:
                last = body_of(line)
                received.setdefault(s.client, []).append((last, t - start))
            elif " [x] Done" in line and s in consumers:
                finishes.append((s.client, last, t - start))
    return received, finishes


def var(name):
    s = "".join(c.lower() if c.isascii() and c.isalnum() else "_" for c in name)
    return "q" + s if not s or s[0].isdigit() else s


def compare(sim, real, auto_ack, rpc_clients=frozenset()):
    (srec, sfin), (rrec, rfin) = sim, real
    problems = []
    for who in sorted(set(srec) | set(rrec)):
        a = [b for b, _ in srec.get(who, [])]
        b = [b for b, _ in rrec.get(who, [])]
        if a != b:
            problems.append("%s received %s on the page, %s on the broker" % (who, a, b))
    # an RPC client's replies come one call at a time (rpc_client.py's call waits for its
    # reply): the time between two replies is a call's round trip, on the page as for real
    for who in sorted(rpc_clients & set(srec) & set(rrec)):
        a, b = srec[who], rrec[who]
        if [x for x, _ in a] != [x for x, _ in b]:
            continue
        for i in range(1, len(a)):
            gs, gr = a[i][1] - a[i - 1][1], b[i][1] - b[i - 1][1]
            if abs(gs - gr) > TOL_MS:
                problems.append("%s got %r %d ms after the reply before on the page, %d ms on the broker"
                                % (who, a[i][0], gs, gr))
    rt = {(c, b): t for c, b, t in rfin}
    st = {(c, b): t for c, b, t in sfin}
    both = [k for k in st if k in rt]
    if len(both) != len(st):
        problems.append("callbacks the broker's clients did not finish: %s" % sorted(set(st) - set(rt)))
    for x in both:
        for y in both:
            if st[x] + TOL_MS < st[y] and not rt[x] < rt[y]:
                problems.append("%s finished before %s on the page (%d, %d ms), after it on the broker (%d, %d ms)"
                                % (x, y, st[x], st[y], rt[x], rt[y]))
    worst = 0
    for who in sorted({c for c, _ in st}):
        sd, rd = durations(srec[who], st, who), durations(rrec.get(who, []), rt, who)
        if os.environ.get("PIKA_CLIENTS_DEBUG"):
            print(who, sd, rd)
        for (body, a), (_, b) in zip(sd, rd):
            worst = max(worst, abs(a - b))
            if abs(a - b) > DURATION_TOL_MS:
                problems.append("%s's callback for %r ran %d ms on the page, %d ms on the broker" % (who, body, a, b))
    return problems, worst


def durations(received, finished, who):
    """How long each callback of a client ran: from when it could start (its delivery arrived and
    the callback before it had returned: one at a time) to its finish."""
    out, free = [], None
    for body, t in received:
        end = finished.get((who, body))
        if end is None:
            continue
        start = t if free is None else max(t, free)
        out.append((body, end - start))
        free = end
    return out


def random_design(seed):
    """A random design (seeded): a producer's burst to a queue, directly or through a direct or
    fanout exchange (a fanout feeds a second queue), read by one to three consumers each with its
    own prefetch (0 is unlimited), processing time and acknowledgement mode."""
    r = random.Random(seed)
    nodes_, links = [], []

    def add(kind, name, **kw):
        nodes_.append(dict(id=len(nodes_) + 1, name=name, kind=kind, x=100 + 200 * len(nodes_), y=100, **kw))
        return len(nodes_)

    p = add("producer", "producer", body="job {n}", burst=r.randint(3, 12), persistent=r.random() < 0.5,
            routing_key="work")
    kind = r.choice(["default", "direct", "fanout"])
    queues = [add("queue", "work", durable=r.random() < 0.5)]
    if kind == "default":
        links.append({"from": p, "to": queues[0]})
    else:
        x = add("exchange", "jobs", exchange_type=kind)
        links.append({"from": p, "to": x})
        if kind == "fanout":
            queues.append(add("queue", "audit"))
        for q in queues:
            links.append({"from": x, "to": q, "key": "work"})
    for q in queues:
        for k in range(r.randint(1, 3) if q == queues[0] else 1):
            c = add("consumer", "worker-%d" % (len(nodes_)), prefetch=r.choice([0, 1, 1, 2, 3]),
                    processing_ms=r.randrange(200, 1600, 50), auto_ack=r.random() < 0.2)
            links.append({"from": q, "to": c})
    return {"name": "random design %d" % seed, "seed": seed, "steps": [],
            "canvas": {"version": 1, "show_default": False, "nodes": nodes_, "links": links}}


def main():
    os.environ.setdefault("AMQP_HOST", "127.0.0.1")
    args = sys.argv[1:]
    py = sys.executable
    if args[:1] == ["--python"]:
        py, args = args[1], args[2:]
    if args[:1] == ["--random"]:
        count, first, args = int(args[1]), int(args[2]), args[3:]
        folder = os.path.join(ROOT, "target", OUT, "random")
        os.makedirs(folder, exist_ok=True)
        for seed in range(first, first + count):
            path = os.path.join(folder, "random-%d.json" % seed)
            json.dump(random_design(seed), open(path, "w"), indent=1)
            args.append(path)
    failed = passed = 0
    for src in args:
        name = os.path.basename(src)
        work = os.path.join(ROOT, "target", OUT, os.path.splitext(name)[0])
        os.makedirs(work, exist_ok=True)
        ready, why = prepare(src, work)
        if ready is None:
            print("%s: left out: %s" % (src, why))
            continue
        path, lines, received, finishes, readers, auto_ack = ready
        d = os.path.join(work, "pika")
        subprocess.run([WARREN, *VERSION, "export", "pika", path, d], check=True, capture_output=True)
        canvas = json.load(open(path))["canvas"]
        # when the last callback returns, one at a time per client from its deliveries (an
        # auto-ack client's end is in no event; a TTL may fire long after, with no client)
        ms = {c["name"]: c.get("processing_ms", 1000) for c in nodes(canvas, "consumer")}
        end, free = 0, {}
        for l in lines:
            if l["kind"] == "delivered" and l["client"] in ms:
                free[l["client"]] = max(l["t_ms"], free.get(l["client"], 0)) + ms[l["client"]]
                end = max(end, free[l["client"]])
            elif l["kind"] in ("delivered", "acked", "nacked"):
                end = max(end, l["t_ms"])
        try:
            real = real_run(py, d, canvas, readers, end)
        except Exception as e:  # a script that failed to start or run: say which
            failed += 1
            print("%s: differs: %s" % (src, e))
            continue
        # RPC clients that read their own replies (direct reply-to, or a callback queue no
        # consumer of the canvas reads): one call at a time
        rpc_clients = {p["name"] for p in nodes(canvas, "producer") if p.get("reply_to") and
                       (p["reply_to"] == "amq.rabbitmq.reply-to" or p["name"] not in readers.values())}
        problems, worst = compare((received, finishes), real, auto_ack, rpc_clients)
        n = sum(len(v) for v in received.values())
        if problems:
            failed += 1
            print("%s: differs:" % src)
            for p in problems:
                print("  " + p)
        else:
            passed += 1
            print("%s: same (%d deliveries; %d callbacks in the same order, each as long as on the page within %.1f ms)"
                  % (src, n, len(finishes), worst))
    print("live pika clients: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

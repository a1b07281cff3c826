#!/usr/bin/env python3
"""The reference recorder (../shared/tools/pika_trace.py) with the scenario format's extension for
users, vhosts and permissions (../shared/scenario-format.md, "Users, virtual hosts, permissions"):

- a step's `user`, `password` and `vhost` are how pika logs in when that step opens its connection
  (PlainCredentials and virtual_host; guest / guest on / by default);
- a login the broker refuses is the step's only line: `connection_error` with the code and text of
  the connection.close it sent (pika raises ProbableAuthenticationError / ProbableAccessDeniedError);
- the operator's calls (add_user, delete_user, change_password, set_user_tags, add_vhost,
  delete_vhost, set_permissions, clear_permissions, and `rabbitmqctl` with any command's words)
  run `rabbitmqctl -q` and write `ok`, or `ctl_error` with its exit status and what it printed
  after "Error:"; before stop_app and reset the clients close, as for `restart`;
- a connection the broker closes while the recorder waits (delete_user: 320 CONNECTION_FORCED) is
  written as `connection_error`, as a pika on_close callback would see it.

Everything else is pika_trace.py's own code: it is imported, not copied.
    python3 scripts/pika_trace_access.py SCENARIO.json [--reset]
"""
import ast, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("WARREN_RECORDER_DIR", os.path.join(HERE, "..", "..", "shared", "tools")))
import pika  # noqa: E402
import pika_trace  # noqa: E402

CTL = {
    "add_user": lambda a: ["add_user", a["user"], a["password"]],
    "delete_user": lambda a: ["delete_user", a["user"]],
    "change_password": lambda a: ["change_password", a["user"], a["password"]],
    "set_user_tags": lambda a: ["set_user_tags", a["user"]] + list(a.get("tags", [])),
    "add_vhost": lambda a: ["add_vhost", a["vhost"]],
    "delete_vhost": lambda a: ["delete_vhost", a["vhost"]],
    "set_permissions": lambda a: ["set_permissions", "-p", a.get("vhost", "/"), a["user"],
                                  a["configure"], a["write"], a["read"]],
    "clear_permissions": lambda a: ["clear_permissions", "-p", a.get("vhost", "/"), a["user"]],
    "rabbitmqctl": lambda a: list(a["command"]),
}


def refusal(exc):
    """(code, text) of the connection.close inside pika's ProbableAuthentication/AccessDenied error."""
    m = re.search(r"\((\d+)\) (.*)$", str(exc.args[0] if exc.args else exc))
    return int(m.group(1)), ast.literal_eval(m.group(2))


class AccessOracle(pika_trace.Oracle):
    def __init__(self):
        super().__init__()
        self.login = {}
        self.reported = set()

    def conn(self, c):
        if c not in self.conns or not self.conns[c].is_open:
            creds = pika.PlainCredentials(self.login.get("user", "guest"), self.login.get("password", "guest"))
            params = pika.ConnectionParameters(pika_trace.HOST, pika_trace.PORT, self.login.get("vhost", "/"),
                                               creds, heartbeat=0)
            self.conns[c] = pika.BlockingConnection(params)
            self.reported.discard(c)
        return self.conns[c]

    def settle(self, rounds=4):
        for _ in range(rounds):
            for name, c in list(self.conns.items()):
                if not c.is_open:
                    continue
                try:
                    c.process_data_events(time_limit=0.03)
                except pika.exceptions.ConnectionClosedByBroker as e:
                    if name not in self.reported:
                        self.reported.add(name)
                        self.events.append({"kind": "connection_error", "conn": name, "code": e.reply_code,
                                            "text": e.reply_text})
                except pika.exceptions.AMQPError:
                    pass
        super().settle(0)

    def run_step(self, st):
        call, a = st["call"], dict(st.get("args", {}))
        self.login = {k: st[k] for k in ("user", "password", "vhost") if k in st}
        if call in CTL:
            if CTL[call](a)[:1] in (["stop_app"], ["reset"]):
                # the clients go first, as for the recorder's restart step
                for conn in self.conns.values():
                    try:
                        conn.close()
                    except Exception:
                        pass
                self.conns.clear(); self.chans.clear()
            r = subprocess.run(["rabbitmqctl", "-q", "-n", pika_trace.NODE] + CTL[call](a),
                               capture_output=True, text=True)
            if r.returncode == 0:
                self.events.append({"kind": "ok", "call": call})
            else:
                lines = r.stderr.splitlines()
                start = lines.index("Error:") + 1 if "Error:" in lines else 0
                self.events.append({"kind": "ctl_error", "call": call, "status": r.returncode,
                                    "text": "\n".join(lines[start:]).strip()})
            return
        c = st.get("conn", "A")
        if call not in ("wait", "restart", "connection_close"):
            try:
                self.conn(c)
            except (pika.exceptions.ProbableAuthenticationError, pika.exceptions.ProbableAccessDeniedError) as e:
                code, text = refusal(e)
                self.events.append({"kind": "connection_error", "conn": c, "code": code, "text": text})
                return
        super().run_step(st)


if __name__ == "__main__":
    sc = json.load(open(sys.argv[1]))
    if "--reset" in sys.argv:
        pika_trace.reset()
    for ev in AccessOracle().run(sc):
        print(json.dumps(ev, sort_keys=True, ensure_ascii=False))

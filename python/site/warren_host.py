"""The line to the coordinator (python/protocol.md). The host that runs this Python (the CLI's
Node process, the page's worker) gives two functions before the script starts:

- request(text) -> text: send a message and wait for the answer (the script is paused meanwhile;
  in the page this returns a promise that run_sync waits for);
- notify(text): send a message that has no answer (what the script prints).
"""

import json

_request = None
_notify = None


def install(request, notify):
    global _request, _notify
    _request, _notify = request, notify


class Interrupted(Exception):
    """Ctrl+C arrived while the script waited (raised as KeyboardInterrupt where it waits)."""


def request(msg):
    answer = _request(json.dumps(msg))
    if not isinstance(answer, str):
        # the page's worker answers with a promise: wait for it (stack switching)
        from pyodide.ffi import run_sync

        answer = run_sync(answer)
    reply = json.loads(answer)
    if reply.get("interrupt"):
        raise KeyboardInterrupt
    return reply


def notify(msg):
    _notify(json.dumps(msg))

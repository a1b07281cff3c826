"""Runs one script as `python SCRIPT.py ARGS...` runs it in a terminal, with Warren's pika.

What differs from a real terminal is what the simulation owns: time (time.sleep waits on the
simulation's clock, time.time reads it), the keyboard (input() reads what the person typed for this
terminal; Ctrl+C arrives as KeyboardInterrupt where the script waits) and the network (pika).
"""

import builtins
import linecache
import os
import sys
import time
import traceback

import warren_host as host

# 2026-01-01T00:00:00Z: what time.time() says when the run starts
EPOCH = 1767225600.0

# modules a learner's script may reach for that this Python cannot give
_NOT_HERE = {
    "requests": "it talks HTTP to the internet",
    "psycopg2": "it talks to PostgreSQL",
    "pymysql": "it talks to MySQL",
    "redis": "it talks to Redis",
    "aio_pika": "it is another RabbitMQ client (here scripts use pika's BlockingConnection)",
    "kombu": "it is another RabbitMQ client (here scripts use pika's BlockingConnection)",
    "celery": "it runs workers of its own (here scripts use pika's BlockingConnection)",
}


class _HardExit(BaseException):
    """os._exit(code): the process ends now."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _now_ms():
    return host.request({"op": "time"})["now_ms"]


def _sleep(seconds):
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    host.request({"op": "sleep", "ms": int(round(seconds * 1000))})


def _time():
    return EPOCH + _now_ms() / 1000.0


def _monotonic():
    return _now_ms() / 1000.0


def _input(prompt=""):
    if prompt:
        sys.stdout.write(str(prompt))
        sys.stdout.flush()
    line = host.request({"op": "input"})["line"]
    if line is None:
        raise EOFError("EOF when reading a line")
    return line


class _Stdin:
    """sys.stdin: what the person typed for this terminal, line by line."""

    def readline(self, size=-1):
        line = host.request({"op": "input"})["line"]
        return "" if line is None else line + "\n"

    def read(self, size=-1):
        out = []
        while True:
            line = self.readline()
            if not line:
                return "".join(out)
            out.append(line)

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def isatty(self):
        return False

    def fileno(self):
        return 0


def _install():
    time.sleep = _sleep
    time.time = _time
    time.time_ns = lambda: int(_time() * 1e9)
    time.monotonic = _monotonic
    time.monotonic_ns = lambda: _now_ms() * 1_000_000
    time.perf_counter = _monotonic
    time.perf_counter_ns = lambda: _now_ms() * 1_000_000
    builtins.input = _input
    sys.stdin = _Stdin()

    def _exit(code):
        raise _HardExit(code)

    os._exit = _exit


def _exit_code(e):
    if e.code is None:
        return 0
    if isinstance(e.code, int):
        return e.code
    print(e.code, file=sys.stderr)
    return 1


def _print_exception(e):
    """The traceback as Python prints it, without this launcher's own frame."""
    tb = e.__traceback__
    if tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    traceback.print_exception(type(e), e, tb, file=sys.stderr)


def run(argv, source):
    """Run `source` as the script argv[0] with argv as sys.argv; the exit status."""
    _install()
    sys.argv = list(argv)
    # tracebacks show the script's lines, as they do for a file on disk
    linecache.cache[argv[0]] = (len(source), None, source.splitlines(True), argv[0])
    try:
        code = compile(source, argv[0], "exec")
    except SyntaxError as e:
        traceback.print_exception(type(e), e, None, file=sys.stderr)
        return 1
    g = {"__name__": "__main__", "__file__": argv[0], "__builtins__": builtins}
    try:
        exec(code, g)
        status = 0
    except SystemExit as e:
        status = _exit_code(e)
    except _HardExit as e:
        status = e.code
    except KeyboardInterrupt as e:
        _print_exception(e)
        status = 130
    except BaseException as e:  # noqa: B036 - what Python does with an uncaught one
        if isinstance(e, ModuleNotFoundError) and e.name:
            top = e.name.split(".")[0]
            why = _NOT_HERE.get(top, "only Python's standard library and pika are here")
            print("warren: '%s' cannot be imported in this terminal: %s." % (top, why), file=sys.stderr)
        _print_exception(e)
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return status


def main(argv, source):
    status = run(argv, source)
    host.notify({"op": "exit", "code": status})
    return status

"""pika.adapters.blocking_connection: BlockingConnection and BlockingChannel on Warren's broker.

Every call that pika makes a round trip for is a message to the coordinator (warren_host). Like
pika's, a connection keeps what the broker sent it until it reads it (deliveries, returns, a
channel the broker closed), and hands consumer callbacks only from process_data_events,
start_consuming and sleep, one at a time, never from inside another callback.
"""

import sys

import warren_host as host

from .. import exceptions, spec
from ..connection import ConnectionParameters

# connection name -> BlockingConnection, for what the broker sends this script's connections
_connections = {}
_said = set()
_casts = 0


def _note(key, text):
    """Say once, on stderr, what a learner should know about a form they used."""
    if key not in _said:
        _said.add(key)
        print("warren: " + text, file=sys.stderr)


def _route(events):
    """Hand each thing the broker sent to the connection it was sent to (read later)."""
    for e in events:
        c = _connections.get(e.get("conn"))
        if c is not None:
            c._unread.append(e)


class ReturnedMessage:
    def __init__(self, method, properties, body):
        self.method = method
        self.properties = properties
        self.body = body


class _Frame:
    """What a synchronous call returns (pika.frame.Method): `.method` is the reply."""

    def __init__(self, channel_number, method):
        self.channel_number = channel_number
        self.method = method

    def __repr__(self):
        return "<METHOD(['channel_number=%s', 'frame_type=1', 'method=%r'])>" % (self.channel_number, self.method)


def _body(body):
    if isinstance(body, str):
        return body
    if isinstance(body, (bytes, bytearray)):
        try:
            return bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("warren: a message body here is text (UTF-8); this one is binary") from None
    raise TypeError("body must be a str or bytes, not %s" % type(body).__name__)


class _Closable:
    """`with connection:` and `with channel:` close it at the end, as pika's do."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.is_open:
            self.close()


class BlockingConnection(_Closable):
    def __init__(self, parameters=None, _impl_class=None):
        if isinstance(parameters, (list, tuple)):
            parameters = parameters[0] if parameters else None
        p = parameters or ConnectionParameters()
        cred = p.credentials
        r = host.request(
            {"op": "connect", "user": cred.username, "password": cred.password, "vhost": p.virtual_host}
        )
        if "refused" in r:
            closed = exceptions.ConnectionClosedByBroker(r["refused"]["code"], r["refused"]["text"])
            if closed.reply_code == 403:
                raise exceptions.ProbableAuthenticationError(repr(closed))
            raise exceptions.ProbableAccessDeniedError(repr(closed))
        self._name = r["conn"]
        self._channels = {}
        self._unread = []
        self._closed_by = None
        self._closed = False
        self._dispatching = False
        _connections[self._name] = self

    def __repr__(self):
        return "<BlockingConnection impl=%s>" % self._name

    @property
    def is_open(self):
        return not self._closed

    @property
    def is_closed(self):
        return self._closed

    def _raise_if_not_open(self):
        if self._closed:
            if self._closed_by is not None:
                raise self._closed_by
            raise exceptions.ConnectionWrongStateError("Connection is closed.")

    def _read(self):
        """Read what the broker sent: channels closed, deliveries and returns to dispatch."""
        unread, self._unread = self._unread, []
        for e in unread:
            kind = e.get("kind")
            if kind == "connection_error":
                self._broken(exceptions.ConnectionClosedByBroker(e["code"], e["text"]))
                return
            ch = self._channels.get(e.get("ch"))
            if ch is not None:
                ch._receive(e)

    def _broken(self, error):
        self._closed = True
        self._closed_by = error
        for ch in self._channels.values():
            ch._gone(None)
        _connections.pop(self._name, None)

    def _request(self, msg):
        """A round trip: the answer, with what else the broker sent meanwhile routed."""
        r = host.request(msg)
        if "error" in r:
            raise TypeError(r["error"])
        _route(r.get("events", []))
        return r

    def _call(self, ch, call, args=None):
        return self._request({"op": "call", "conn": self._name, "ch": ch, "call": call, "args": args})

    def _cast(self, ch, call, args):
        """A call pika does not wait on: no round trip (what it causes comes with the next answer),
        but one every so often, as a socket's buffer fills, so that the script can be stopped."""
        host.notify({"op": "cast", "conn": self._name, "ch": ch, "call": call, "args": args})
        global _casts
        _casts += 1
        if _casts % 256 == 0:
            self._request({"op": "flush"})

    def _wait(self, timeout):
        """Wait for the broker up to `timeout` seconds (None: until it sends something)."""
        ms = None if timeout is None else max(0, int(round(timeout * 1000)))
        return self._request({"op": "wait", "timeout_ms": ms})

    def _pending(self):
        return any(ch._pending for ch in self._channels.values())

    def channel(self, channel_number=None):
        self._raise_if_not_open()
        n = channel_number
        if n is None:
            n = 1
            while n in self._channels and self._channels[n].is_open:
                n += 1
        ch = BlockingChannel(self, n)
        self._channels[n] = ch
        return ch

    def process_data_events(self, time_limit=0):
        """Read what the broker sent, waiting up to time_limit seconds (None: until there is
        something to hand over), and hand consumers their messages."""
        self._raise_if_not_open()
        can_dispatch = not self._dispatching
        self._read()
        if not (can_dispatch and self._pending()):
            left = time_limit
            # (each wait's answer says the time it came at: no need to ask again)
            now = host.request({"op": "time"})["now_ms"] if left is not None and left > 0 else 0
            while True:
                if left is not None and left <= 0:
                    # a poll: it lets the other scripts go first, and takes no time
                    self._wait(0)
                    self._read()
                    break
                r = self._wait(left)
                self._read()
                self._raise_if_not_open()
                if (can_dispatch and self._pending()) or r.get("timeout"):
                    break
                if left is not None:
                    left -= (r["now_ms"] - now) / 1000.0
                    now = r["now_ms"]
        self._raise_if_not_open()
        if can_dispatch:
            self._dispatch()

    def _dispatch(self):
        self._dispatching = True
        try:
            for n in sorted(self._channels):
                self._channels[n]._dispatch()
        finally:
            self._dispatching = False

    def sleep(self, duration):
        """Sleep `duration` seconds, handing consumers their messages meanwhile."""
        now = host.request({"op": "time"})["now_ms"]
        end = now + duration * 1000.0
        while now < end:
            self.process_data_events(time_limit=(end - now) / 1000.0)
            now = host.request({"op": "time"})["now_ms"]

    def add_callback_threadsafe(self, callback):
        callback()

    def call_later(self, delay, callback):
        raise NotImplementedError("warren: call_later is not simulated yet")

    def close(self, reply_code=200, reply_text="Normal shutdown"):
        if self._closed:
            raise exceptions.ConnectionWrongStateError("BlockingConnection.close(%s, %r) called on closed connection." % (reply_code, reply_text))
        for ch in list(self._channels.values()):
            if ch.is_open:
                ch._gone(None)
        self._request({"op": "call", "conn": self._name, "ch": 1, "call": "connection_close"})
        self._closed = True
        _connections.pop(self._name, None)


class BlockingChannel(_Closable):
    def __init__(self, connection, channel_number):
        self.connection = connection
        self.channel_number = channel_number
        self._closed = False
        self._closing_reason = None
        self._consumers = {}  # tag -> (callback, auto_ack)
        self._pending = []  # deliveries and returns, to hand over in order
        self._on_return = []
        self._on_cancel = []
        self._confirming = False
        self._returned = []
        self._nacked = False

    def __repr__(self):
        return "<BlockingChannel impl=<Channel number=%s %s conn=%r>>" % (
            self.channel_number,
            "CLOSED" if self._closed else "OPEN",
            self.connection,
        )

    def __int__(self):
        return self.channel_number

    @property
    def is_open(self):
        return not self._closed and self.connection.is_open

    @property
    def is_closed(self):
        return not self.is_open

    @property
    def consumer_tags(self):
        return list(self._consumers)

    # what the broker sent this channel, as the connection reads it
    def _receive(self, e):
        kind = e.get("kind")
        if kind == "channel_error":
            self._gone(exceptions.ChannelClosedByBroker(e["code"], e["text"]))
        elif kind == "deliver":
            self._pending.append(e)
        elif kind == "return":
            if self._confirming:
                self._returned.append(e)
            else:
                self._pending.append(e)
        elif kind == "nack":
            self._nacked = True

    def _gone(self, reason):
        self._closed = True
        if reason is not None and self._closing_reason is None:
            self._closing_reason = reason
        self._consumers.clear()
        self._pending = []

    def _raise_if_not_open(self):
        self.connection._raise_if_not_open()
        if self._closed:
            raise exceptions.ChannelWrongStateError("Channel is closed.")

    def _before(self):
        """Before a call: it cannot go on a channel known to be closed; what the broker sent
        before it is read first (a channel closed meanwhile raises, as pika's does)."""
        self._raise_if_not_open()
        self.connection._read()
        self._raise_if_closed_meanwhile()

    def _raise_if_closed_meanwhile(self):
        self.connection._raise_if_not_open()
        if self._closed and isinstance(self._closing_reason, exceptions.ChannelClosedByBroker):
            raise self._closing_reason

    def _sync(self, call, args=None):
        """A call pika waits on: its reply (a trace line), or the broker's refusal raised."""
        self._before()
        r = self.connection._call(self.channel_number, call, args)
        self.connection._read()
        self._raise_if_closed_meanwhile()
        return r.get("reply") or {}

    def _async(self, call, args):
        """A call pika does not wait on (publish, ack): what it causes is read later."""
        self._before()
        self.connection._cast(self.channel_number, call, args)

    def _dispatch(self):
        while self._pending and not self._closed:
            e = self._pending.pop(0)
            props = spec.BasicProperties.from_trace(e.get("properties"))
            body = e.get("body", "").encode("utf-8")
            if e["kind"] == "deliver":
                consumer = self._consumers.get(e["consumer_tag"])
                if consumer is None:
                    continue
                method = spec.Basic.Deliver(
                    consumer_tag=e["consumer_tag"],
                    delivery_tag=e["delivery_tag"],
                    redelivered=e["redelivered"],
                    exchange=e["exchange"],
                    routing_key=e["routing_key"],
                )
                consumer[0](self, method, props, body)
            else:
                method = spec.Basic.Return(
                    reply_code=e["reply_code"],
                    reply_text=e["reply_text"],
                    exchange=e["exchange"],
                    routing_key=e["routing_key"],
                )
                for cb in self._on_return:
                    cb(self, method, props, body)

    # -- the methods
    def close(self, reply_code=0, reply_text="Normal shutdown"):
        self._raise_if_not_open()
        self._sync("channel_close")
        self._gone(None)

    def add_on_return_callback(self, callback):
        self._on_return.append(callback)

    def add_on_cancel_callback(self, callback):
        self._on_cancel.append(callback)

    def confirm_delivery(self):
        self._sync("confirm_select")
        self._confirming = True

    def exchange_declare(
        self,
        exchange=None,
        exchange_type="direct",
        passive=False,
        durable=False,
        auto_delete=False,
        internal=False,
        arguments=None,
        **old,
    ):
        if "type" in old:
            _note("type", "exchange_declare(type=...) is pika 0.x's spelling; pika 1.x writes exchange_type=...")
            exchange_type = old.pop("type")
        if old:
            raise TypeError("exchange_declare() got an unexpected keyword argument '%s'" % next(iter(old)))
        args = {
            "exchange": exchange,
            "exchange_type": exchange_type,
            "passive": passive,
            "durable": durable,
            "auto_delete": auto_delete,
            "internal": internal,
            "arguments": spec._table(arguments or {}),
        }
        self._sync("exchange_declare", args)
        return _Frame(self.channel_number, spec.Exchange.DeclareOk())

    def exchange_delete(self, exchange=None, if_unused=False):
        self._sync("exchange_delete", {"exchange": exchange, "if_unused": if_unused})
        return _Frame(self.channel_number, spec.Exchange.DeleteOk())

    def exchange_bind(self, destination, source, routing_key="", arguments=None):
        args = {"destination": destination, "source": source, "routing_key": routing_key}
        args["arguments"] = spec._table(arguments or {})
        self._sync("exchange_bind", args)
        return _Frame(self.channel_number, spec.Exchange.BindOk())

    def exchange_unbind(self, destination=None, source=None, routing_key="", arguments=None):
        args = {"destination": destination, "source": source, "routing_key": routing_key}
        args["arguments"] = spec._table(arguments or {})
        self._sync("exchange_unbind", args)
        return _Frame(self.channel_number, spec.Exchange.UnbindOk())

    def queue_declare(self, queue="", passive=False, durable=False, exclusive=False, auto_delete=False, arguments=None):
        args = {
            "queue": queue,
            "passive": passive,
            "durable": durable,
            "exclusive": exclusive,
            "auto_delete": auto_delete,
            "arguments": spec._table(arguments or {}),
        }
        r = self._sync("queue_declare", args)
        ok = spec.Queue.DeclareOk(
            queue=r.get("queue"), message_count=r.get("message_count"), consumer_count=r.get("consumer_count")
        )
        return _Frame(self.channel_number, ok)

    def queue_bind(self, queue, exchange, routing_key=None, arguments=None):
        args = {"queue": queue, "exchange": exchange, "routing_key": routing_key}
        args["arguments"] = spec._table(arguments or {})
        self._sync("queue_bind", args)
        return _Frame(self.channel_number, spec.Queue.BindOk())

    def queue_unbind(self, queue, exchange=None, routing_key=None, arguments=None):
        args = {"queue": queue, "exchange": exchange, "routing_key": routing_key}
        args["arguments"] = spec._table(arguments or {})
        self._sync("queue_unbind", args)
        return _Frame(self.channel_number, spec.Queue.UnbindOk())

    def queue_purge(self, queue):
        r = self._sync("queue_purge", {"queue": queue})
        return _Frame(self.channel_number, spec.Queue.PurgeOk(message_count=r.get("message_count")))

    def queue_delete(self, queue, if_unused=False, if_empty=False):
        r = self._sync("queue_delete", {"queue": queue, "if_unused": if_unused, "if_empty": if_empty})
        return _Frame(self.channel_number, spec.Queue.DeleteOk(message_count=r.get("message_count")))

    def basic_qos(self, prefetch_size=0, prefetch_count=0, global_qos=False, **old):
        if "all_channels" in old:
            _note("all_channels", "basic_qos(all_channels=...) is pika 0.x's spelling; pika 1.x writes global_qos=...")
            global_qos = old.pop("all_channels")
        if old:
            raise TypeError("basic_qos() got an unexpected keyword argument '%s'" % next(iter(old)))
        args = {"prefetch_size": prefetch_size, "prefetch_count": prefetch_count, "global_qos": global_qos}
        self._sync("basic_qos", args)

    def basic_publish(self, exchange, routing_key, body, properties=None, mandatory=False):
        for name, value in (("exchange", exchange), ("routing_key", routing_key)):
            if not isinstance(value, str):
                raise TypeError("%s must be a str or unicode str, but got %r" % (name, value))
        args = {
            "exchange": exchange,
            "routing_key": routing_key,
            "body": _body(body),
            "mandatory": mandatory,
            "properties": (properties or spec.BasicProperties()).to_args(),
        }
        if not self._confirming:
            self._async("basic_publish", args)
            return
        # publisher confirms: pika waits for the broker's ack or nack
        self._returned, self._nacked = [], False
        self._sync("basic_publish", args)
        if self._returned:
            e = self._returned[0]
            method = spec.Basic.Return(
                reply_code=e["reply_code"], reply_text=e["reply_text"], exchange=e["exchange"], routing_key=e["routing_key"]
            )
            msg = ReturnedMessage(method, spec.BasicProperties.from_trace(e.get("properties")), e["body"].encode())
            raise exceptions.UnroutableError([msg])
        if self._nacked:
            raise exceptions.NackError([body])

    def basic_consume(self, *args, **kwargs):
        old = (args and callable(args[0])) or "consumer_callback" in kwargs or "no_ack" in kwargs
        if old:
            _note(
                "consume",
                "basic_consume(callback, queue=..., no_ack=...) is pika 0.x's form; "
                "pika 1.x writes basic_consume(queue=..., on_message_callback=callback, auto_ack=...)",
            )
            names = ["consumer_callback", "queue", "no_ack", "exclusive", "consumer_tag", "arguments"]
        else:
            names = ["queue", "on_message_callback", "auto_ack", "exclusive", "consumer_tag", "arguments"]
        a = dict(zip(names, args))
        for k, v in kwargs.items():
            if k not in names:
                raise TypeError("basic_consume() got an unexpected keyword argument '%s'" % k)
            a[k] = v
        callback = a.get("consumer_callback") or a.get("on_message_callback")
        auto_ack = a.get("no_ack", a.get("auto_ack", False))
        queue = a.get("queue", "")
        if not callable(callback):
            raise ValueError("callback on_message_callback must be callable; got %r" % (callback,))
        tag = a.get("consumer_tag")
        if tag and (tag in self._consumers):
            raise exceptions.DuplicateConsumerTag(tag)
        call_args = {
            "queue": queue,
            "auto_ack": bool(auto_ack),
            "exclusive": bool(a.get("exclusive", False)),
            "consumer_tag": tag or "",
            "arguments": spec._table(a.get("arguments") or {}),
        }
        r = self._sync("basic_consume", call_args)
        tag = r.get("consumer_tag", tag)
        self._consumers[tag] = (callback, auto_ack)
        return tag

    def basic_cancel(self, consumer_tag=""):
        if consumer_tag not in self._consumers:
            return []
        self._sync("basic_cancel", {"consumer_tag": consumer_tag})
        self._consumers.pop(consumer_tag, None)
        return []

    def start_consuming(self):
        if self.connection._dispatching:
            raise exceptions.ReentrancyError(
                "start_consuming may not be called from the scope of another BlockingConnection or BlockingChannel callback"
            )
        self._raise_if_not_open()
        while self._consumers:
            self.connection.process_data_events(time_limit=None)
            self._raise_if_closed_meanwhile()

    def stop_consuming(self, consumer_tag=None):
        tags = [consumer_tag] if consumer_tag else list(self._consumers)
        for t in tags:
            self.basic_cancel(t)

    def basic_get(self, queue, auto_ack=False, **old):
        if "no_ack" in old:
            _note("get", "basic_get(no_ack=...) is pika 0.x's spelling; pika 1.x writes auto_ack=...")
            auto_ack = old.pop("no_ack")
        if old:
            raise TypeError("basic_get() got an unexpected keyword argument '%s'" % next(iter(old)))
        r = self._sync("basic_get", {"queue": queue, "auto_ack": auto_ack})
        if r.get("kind") != "get":
            return None, None, None
        method = spec.Basic.GetOk(
            delivery_tag=r["delivery_tag"],
            redelivered=r["redelivered"],
            exchange=r["exchange"],
            routing_key=r["routing_key"],
            message_count=r["message_count"],
        )
        return method, spec.BasicProperties.from_trace(r.get("properties")), r.get("body", "").encode("utf-8")

    def basic_ack(self, delivery_tag=0, multiple=False):
        self._async("basic_ack", {"delivery_tag": delivery_tag, "multiple": multiple})

    def basic_nack(self, delivery_tag=0, multiple=False, requeue=True):
        self._async("basic_nack", {"delivery_tag": delivery_tag, "multiple": multiple, "requeue": requeue})

    def basic_reject(self, delivery_tag=0, requeue=True):
        self._async("basic_reject", {"delivery_tag": delivery_tag, "requeue": requeue})

    def basic_recover(self, requeue=False):
        self._sync("basic_recover", {"requeue": requeue})

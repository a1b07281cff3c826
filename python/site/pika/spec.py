"""pika.spec: the AMQP methods a script is handed (as pika names them) and BasicProperties."""

import enum


class DeliveryMode(enum.Enum):
    Transient = 1
    Persistent = 2


PERSISTENT_DELIVERY_MODE = 2
TRANSIENT_DELIVERY_MODE = 1


class _Method:
    NAME = "?"
    _fields = ()

    def __init__(self, **kw):
        for f in self._fields:
            setattr(self, f, kw.get(f))

    def __repr__(self):
        inner = ", ".join("%s=%r" % (f, getattr(self, f)) for f in self._fields)
        return "<%s([%s])>" % (self.NAME, inner)


def _method(name, fields):
    return type(name.split(".")[-1], (_Method,), {"NAME": name, "_fields": tuple(fields)})


class Basic:
    Deliver = _method("Basic.Deliver", ["consumer_tag", "delivery_tag", "redelivered", "exchange", "routing_key"])
    GetOk = _method("Basic.GetOk", ["delivery_tag", "redelivered", "exchange", "routing_key", "message_count"])
    GetEmpty = _method("Basic.GetEmpty", [])
    Return = _method("Basic.Return", ["reply_code", "reply_text", "exchange", "routing_key"])
    ConsumeOk = _method("Basic.ConsumeOk", ["consumer_tag"])
    CancelOk = _method("Basic.CancelOk", ["consumer_tag"])
    QosOk = _method("Basic.QosOk", [])
    RecoverOk = _method("Basic.RecoverOk", [])


class Queue:
    DeclareOk = _method("Queue.DeclareOk", ["queue", "message_count", "consumer_count"])
    BindOk = _method("Queue.BindOk", [])
    UnbindOk = _method("Queue.UnbindOk", [])
    PurgeOk = _method("Queue.PurgeOk", ["message_count"])
    DeleteOk = _method("Queue.DeleteOk", ["message_count"])


class Exchange:
    DeclareOk = _method("Exchange.DeclareOk", [])
    DeleteOk = _method("Exchange.DeleteOk", [])
    BindOk = _method("Exchange.BindOk", [])
    UnbindOk = _method("Exchange.UnbindOk", [])


class Confirm:
    SelectOk = _method("Confirm.SelectOk", [])


class BasicProperties:
    """A message's properties, as pika.BasicProperties takes and shows them."""

    _names = (
        "content_type",
        "content_encoding",
        "headers",
        "delivery_mode",
        "priority",
        "correlation_id",
        "reply_to",
        "expiration",
        "message_id",
        "timestamp",
        "type",
        "user_id",
        "app_id",
        "cluster_id",
    )

    def __init__(
        self,
        content_type=None,
        content_encoding=None,
        headers=None,
        delivery_mode=None,
        priority=None,
        correlation_id=None,
        reply_to=None,
        expiration=None,
        message_id=None,
        timestamp=None,
        type=None,
        user_id=None,
        app_id=None,
        cluster_id=None,
    ):
        self.content_type = content_type
        self.content_encoding = content_encoding
        self.headers = headers
        if isinstance(delivery_mode, DeliveryMode):
            delivery_mode = delivery_mode.value
        self.delivery_mode = delivery_mode
        self.priority = priority
        self.correlation_id = correlation_id
        self.reply_to = reply_to
        self.expiration = expiration
        self.message_id = message_id
        self.timestamp = timestamp
        self.type = type
        self.user_id = user_id
        self.app_id = app_id
        self.cluster_id = cluster_id

    def __repr__(self):
        inner = ", ".join("%s=%r" % (n, getattr(self, n)) for n in self._names if getattr(self, n) is not None)
        return "<BasicProperties([%s])>" % inner

    def to_args(self):
        """The properties that are set, as Warren's calls take them."""
        out = {}
        for n in self._names:
            v = getattr(self, n)
            if v is None or n == "cluster_id":
                continue
            if isinstance(v, DeliveryMode):
                v = v.value
            if isinstance(v, bytes):
                v = v.decode("utf-8")
            if n == "headers":
                v = _table(v)
            out[n] = v
        return out

    @classmethod
    def from_trace(cls, d):
        """The properties of a message as the broker sent them (a trace line's `properties`)."""
        p = cls()
        for n, v in (d or {}).items():
            if n in cls._names:
                setattr(p, n, v)
        return p


def _table(v):
    """A field table's values as Warren takes them: bytes as text, the rest as they are."""
    if isinstance(v, dict):
        return {str(k): _table(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_table(x) for x in v]
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, enum.Enum):
        return v.value
    return v

"""Warren's pika: the pika API (1.3, and the 0.x forms older tutorials use) on Warren's simulated
RabbitMQ. A script imports it as it imports pika; each BlockingConnection is a connection on the
canvas, and each blocking call waits for the simulated broker on the simulation's clock."""

__version__ = "1.3.2"

from . import exceptions, spec  # noqa: F401
from .adapters.blocking_connection import BlockingChannel, BlockingConnection  # noqa: F401
from .connection import ConnectionParameters, URLParameters  # noqa: F401
from .credentials import PlainCredentials  # noqa: F401
from .spec import BasicProperties, DeliveryMode  # noqa: F401


def __getattr__(name):
    if name in ("SelectConnection", "AsyncioConnection", "TornadoConnection", "TwistedProtocolConnection"):
        raise ImportError(
            "warren: pika.%s (an asynchronous adapter) is not simulated; "
            "scripts here use pika.BlockingConnection, as the RabbitMQ tutorials do" % name
        )
    raise AttributeError("module 'pika' has no attribute '%s'" % name)

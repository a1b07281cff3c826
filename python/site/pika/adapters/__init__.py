"""pika.adapters"""

from .blocking_connection import BlockingConnection  # noqa: F401

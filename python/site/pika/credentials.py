"""pika.credentials"""

from .connection import PlainCredentials  # noqa: F401

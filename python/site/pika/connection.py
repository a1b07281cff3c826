"""pika.connection: how a script says where and as whom it connects."""

import urllib.parse


class PlainCredentials:
    def __init__(self, username, password, erase_on_connect=False):
        self.username = username
        self.password = password
        self.erase_on_connect = erase_on_connect

    def __repr__(self):
        return "PlainCredentials: %r %r" % (self.username, "*" * len(self.password))


class Parameters:
    DEFAULT_HOST = "localhost"
    DEFAULT_PORT = 5672
    DEFAULT_VIRTUAL_HOST = "/"
    DEFAULT_USERNAME = "guest"
    DEFAULT_PASSWORD = "guest"

    def __init__(self):
        self.host = self.DEFAULT_HOST
        self.port = self.DEFAULT_PORT
        self.virtual_host = self.DEFAULT_VIRTUAL_HOST
        self.credentials = PlainCredentials(self.DEFAULT_USERNAME, self.DEFAULT_PASSWORD)
        self.heartbeat = None
        self.blocked_connection_timeout = None
        self.connection_attempts = 1
        self.retry_delay = 2.0
        self.socket_timeout = 10.0
        self.client_properties = None


class ConnectionParameters(Parameters):
    """Takes what pika's does; where the broker is does not matter here: every script talks to the
    simulated one."""

    def __init__(self, host=None, port=None, virtual_host=None, credentials=None, **kwargs):
        super().__init__()
        if host is not None:
            self.host = host
        if port is not None:
            self.port = port
        if virtual_host is not None:
            self.virtual_host = virtual_host
        if credentials is not None:
            self.credentials = credentials
        for k, v in kwargs.items():
            setattr(self, k, v)


class URLParameters(Parameters):
    """amqp://user:password@host:port/vhost"""

    def __init__(self, url):
        super().__init__()
        u = urllib.parse.urlparse(url)
        if u.hostname:
            self.host = u.hostname
        if u.port:
            self.port = u.port
        if u.username is not None:
            self.credentials = PlainCredentials(
                urllib.parse.unquote(u.username), urllib.parse.unquote(u.password or "")
            )
        path = u.path[1:] if u.path.startswith("/") else u.path
        if path:
            self.virtual_host = urllib.parse.unquote(path)

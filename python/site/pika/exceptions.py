"""pika.exceptions: the same names and hierarchy as pika 1.3, so that `except` clauses and the
last line of a traceback read as they do with the real client."""


class AMQPError(Exception):
    def __repr__(self):
        return "%s: An unspecified AMQP error has occurred; %s" % (type(self).__name__, self.args)


class AMQPConnectionError(AMQPError):
    def __repr__(self):
        if len(self.args) == 2:
            return "{}: ({}) {}".format(type(self).__name__, self.args[0], self.args[1])
        return "{}: {}".format(type(self).__name__, self.args)


class ConnectionOpenAborted(AMQPConnectionError):
    pass


class StreamLostError(AMQPConnectionError):
    pass


class IncompatibleProtocolError(AMQPConnectionError):
    pass


class AuthenticationError(AMQPConnectionError):
    pass


class ProbableAuthenticationError(AMQPConnectionError):
    pass


class ProbableAccessDeniedError(AMQPConnectionError):
    pass


class NoFreeChannels(AMQPConnectionError):
    pass


class ConnectionWrongStateError(AMQPConnectionError):
    pass


class _Closed:
    """What the broker (or the client) said when it closed a connection or a channel."""

    def __init__(self, reply_code, reply_text):
        super().__init__(int(reply_code), str(reply_text))

    def __repr__(self):
        return "{}: ({}) {!r}".format(type(self).__name__, self.reply_code, self.reply_text)

    @property
    def reply_code(self):
        return self.args[0]

    @property
    def reply_text(self):
        return self.args[1]


class ConnectionClosed(_Closed, AMQPConnectionError):
    pass


class ConnectionClosedByBroker(ConnectionClosed):
    pass


class ConnectionClosedByClient(ConnectionClosed):
    pass


class ConnectionBlockedTimeout(AMQPConnectionError):
    pass


class AMQPHeartbeatTimeout(AMQPConnectionError):
    pass


class AMQPChannelError(AMQPError):
    def __repr__(self):
        return "{}: {!r}".format(type(self).__name__, self.args)


class ChannelWrongStateError(AMQPChannelError):
    pass


class ChannelClosed(_Closed, AMQPChannelError):
    pass


class ChannelClosedByBroker(ChannelClosed):
    pass


class ChannelClosedByClient(ChannelClosed):
    pass


class DuplicateConsumerTag(AMQPChannelError):
    pass


class ConsumerCancelled(AMQPChannelError):
    pass


class UnroutableError(AMQPChannelError):
    def __init__(self, messages):
        super().__init__("%s unroutable message(s) returned" % len(messages))
        self.messages = messages


class NackError(AMQPChannelError):
    def __init__(self, messages):
        super().__init__("%s message(s) NACKed" % len(messages))
        self.messages = messages


class InvalidChannelNumber(AMQPError):
    pass


class ProtocolSyntaxError(AMQPError):
    pass


class UnexpectedFrameError(ProtocolSyntaxError):
    pass


class ProtocolVersionMismatch(ProtocolSyntaxError):
    pass


class BodyTooLongError(ProtocolSyntaxError):
    pass


class InvalidFrameError(ProtocolSyntaxError):
    pass


class InvalidFieldTypeException(ProtocolSyntaxError):
    pass


class UnsupportedAMQPFieldException(ProtocolSyntaxError):
    pass


class MethodNotImplemented(AMQPError):
    pass


class ChannelError(Exception):
    pass


class ReentrancyError(Exception):
    pass


class ShortStringTooLong(AMQPError):
    pass


class DuplicateGetOkCallback(ChannelError):
    pass

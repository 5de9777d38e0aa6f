"""The per-replica secret of the watcher contract (docs/watcher-contract.md).

A gateway that starts a replica writes a random secret as the first line of its
standard input (never in the environment, which other processes of the same user can
read) and sends it in the ``dcf-replica-secret`` header of every call. Calls to
dcf.v1.Watcher without it are refused UNAUTHENTICATED; health stays open. Only a hash
is kept, compared in constant time. Private to dcf_watcher.py.
"""

import hashlib
import hmac
import os

import grpc

HEADER = "dcf-replica-secret"
MAX_LENGTH = 512
_GUARDED_PREFIX = "/dcf.v1.Watcher/"


def read_line(fd):
    """Reads the secret from the first line of file descriptor ``fd``, byte by byte, so the
    rest of the stream stays unread. Raises ValueError when the stream ends first, or the
    line is too long or empty."""
    line = bytearray()
    while True:
        b = os.read(fd, 1)
        if not b:
            raise ValueError("standard input ended before the replica secret's line")
        if b == b"\n":
            break
        if len(line) == MAX_LENGTH:
            raise ValueError("the replica secret's line is longer than %d bytes" % MAX_LENGTH)
        line += b
    secret = line.decode("ascii", "replace").strip()
    if not secret:
        raise ValueError("the replica secret is empty")
    return secret


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).digest()


class SecretCheck(grpc.ServerInterceptor):
    """Refuses calls to dcf.v1.Watcher that lack the replica's secret."""

    def __init__(self, function, secret):
        self._digest = _digest(secret)
        self._message = ("this replica of function %s serves only the gateway that started it "
                         "(missing or wrong %s)" % (function, HEADER))

    def _allowed(self, metadata):
        for key, value in metadata or ():
            if key == HEADER and isinstance(value, str):
                return hmac.compare_digest(_digest(value), self._digest)
        return False

    def intercept_service(self, continuation, details):
        handler = continuation(details)
        if handler is None or not details.method.startswith(_GUARDED_PREFIX) \
                or self._allowed(details.invocation_metadata):
            return handler
        message = self._message

        def refuse(request, context):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

        if handler.request_streaming and handler.response_streaming:
            return grpc.stream_stream_rpc_method_handler(
                refuse, handler.request_deserializer, handler.response_serializer)
        if handler.request_streaming:
            return grpc.stream_unary_rpc_method_handler(
                refuse, handler.request_deserializer, handler.response_serializer)
        if handler.response_streaming:
            return grpc.unary_stream_rpc_method_handler(
                refuse, handler.request_deserializer, handler.response_serializer)
        return grpc.unary_unary_rpc_method_handler(
            refuse, handler.request_deserializer, handler.response_serializer)

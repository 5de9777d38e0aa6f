"""What a DCF Python handler may import: ``import dcf``.

``dcf.FunctionError`` fails a call with a chosen gRPC status; ``dcf.Response`` sets
the reply's content type and headers. Neither is needed for a plain handler::

    def Handler(req):
        return req.input

This package does not import grpc, so handlers stay testable without it.
"""

__all__ = ["FunctionError", "Request", "Response", "CODES"]

# The gRPC status names a handler may choose (OK and the watcher's own codes for
# timeouts aside, these are the ones that make sense for a function to report).
CODES = frozenset({
    "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED",
})


class FunctionError(Exception):
    """Raise to fail a call with ``code`` (a gRPC status name) and ``message``.

    The caller sees exactly the code and the message, never a traceback::

        raise dcf.FunctionError("INVALID_ARGUMENT", "capacity must be a number")
    """

    def __init__(self, code, message):
        name = getattr(code, "name", code)  # also accepts grpc.StatusCode members
        if name not in CODES:
            raise ValueError("code: %r (expected: one of %s)" % (code, ", ".join(sorted(CODES))))
        super().__init__(message)
        self.code = name
        self.message = str(message)


class Response:
    """A reply with an explicit content type and headers.

    ``output`` is str (sent as UTF-8), bytes, bytearray or None (empty). An empty
    ``content_type`` lets the gateway use the request's type. Header names are
    lower-cased.
    """

    __slots__ = ("output", "content_type", "headers")

    def __init__(self, output, content_type="", headers=None):
        self.output = output
        self.content_type = content_type or ""
        self.headers = {str(k).lower(): str(v) for k, v in (headers or {}).items()}

    def __repr__(self):
        return "Response(content_type=%r, headers=%r)" % (self.content_type, self.headers)


class Request:
    """One call's input, as a handler sees it.

    ``input`` is the raw payload (bytes, binary-safe); ``content_type`` its media type
    ("" when unknown); ``headers`` the caller's metadata (dict, lower-case keys);
    ``path`` the rest of the HTTP path after /function/<name> ("" for gRPC);
    ``method`` the HTTP method ("" for gRPC); ``function`` the function's name.
    Build one in a unit test with ``dcf.Request(b"...")``.
    """

    __slots__ = ("input", "content_type", "headers", "path", "method", "function")

    def __init__(self, input=b"", content_type="", headers=None, path="", method="", function=""):
        self.input = bytes(input)
        self.content_type = content_type
        self.headers = dict(headers or {})
        self.path = path
        self.method = method
        self.function = function

    def __repr__(self):
        return "Request(function=%r, content_type=%r, bytes=%d)" % (
            self.function, self.content_type, len(self.input))

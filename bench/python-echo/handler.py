def Handler(req):
    """The Python echo of bench/cold-start.sh: returns the request body."""
    return req.input

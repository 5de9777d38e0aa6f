def Handler(req):
    return req.input

package io.dcf.gateway.error;

import io.grpc.Status;

/** The named function does not exist. */
public final class FunctionNotFoundException extends DcfException {

    private static final long serialVersionUID = 1L;

    public FunctionNotFoundException(String name) {
        super(Status.Code.NOT_FOUND, "function " + name + " not found");
    }
}

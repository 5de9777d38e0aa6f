package io.dcf.gateway.error;

import io.grpc.Status;

/** A function with that name is already deployed. */
public final class FunctionAlreadyExistsException extends DcfException {

    private static final long serialVersionUID = 1L;

    public FunctionAlreadyExistsException(String name) {
        super(Status.Code.ALREADY_EXISTS, "function " + name + " already exists");
    }
}

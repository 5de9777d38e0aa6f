package io.dcf.gateway.error;

import io.grpc.Status;

/** The function exists but cannot serve now: no ready replica, or the backend is down. */
public final class BackendUnavailableException extends DcfException {

    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(Status.Code.UNAVAILABLE, message);
    }
}

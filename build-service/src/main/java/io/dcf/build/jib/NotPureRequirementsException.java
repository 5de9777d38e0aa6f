package io.dcf.build.jib;

import io.dcf.build.BuildFailedException;

/**
 * pip found a requirement that is not a pure-Python wheel (a platform wheel or an sdist to
 * compile): Jib cannot lay it out; a build the service chose Jib for moves to Kaniko.
 */
public final class NotPureRequirementsException extends BuildFailedException {

    private static final long serialVersionUID = 1L;

    public NotPureRequirementsException(String message) {
        super(message);
    }
}

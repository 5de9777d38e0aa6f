package io.dcf.gateway.function;

import io.dcf.gateway.build.BuildListener;

/** Follows a deploy or update: its build's events, then the moment the built code goes to the backend. */
public interface DeployListener extends BuildListener {

    /** Ignores everything (the unary Deploy and Update). */
    DeployListener NONE = new DeployListener() {
        @Override
        public void event(io.dcf.proto.v1.BuildEvent event) {
        }

        @Override
        public void deploying(String what) {
        }
    };

    /** The build is done and the backend deploys (or rolls) what it made; {@code what} says which. */
    void deploying(String what);
}

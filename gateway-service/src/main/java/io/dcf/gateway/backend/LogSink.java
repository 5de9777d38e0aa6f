package io.dcf.gateway.backend;

/** Receives log lines; called from one thread at a time. */
public interface LogSink {

    /** One line of one replica; returns false to stop the stream. */
    boolean line(int replica, String line);
}

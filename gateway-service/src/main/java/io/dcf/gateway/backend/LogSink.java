package io.dcf.gateway.backend;

/** Receives log lines; called from one thread at a time. */
public interface LogSink {

    /**
     * One line of one replica; returns false to stop the stream.
     *
     * @param index   the replica's position: its index in local mode, the pod's place in name order on Kubernetes
     * @param replica the replica's name: the index as text in local mode, the pod's name on Kubernetes
     */
    boolean line(int index, String replica, String line);
}

package io.dcf.gateway.backend.local;

import io.dcf.gateway.error.DcfException;
import io.grpc.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a Python that can {@code import grpc}: the configured one, then
 * {@code DCF_PYTHON}, then {@code /usr/bin/python3}, then {@code python3} on the PATH.
 * Asked only when a Python function starts; the answer is remembered.
 */
final class PythonLocator implements Supplier<String> {

    private static final Logger log = LoggerFactory.getLogger(PythonLocator.class);

    private final List<String> candidates;
    private volatile String found;

    PythonLocator(String configured, String envPython) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (String c : new String[] {configured, envPython, "/usr/bin/python3", "python3"}) {
            if (c != null && !c.isBlank()) {
                all.add(c);
            }
        }
        this.candidates = new ArrayList<>(all);
    }

    @Override
    public String get() {
        String python = found;
        if (python != null) {
            return python;
        }
        synchronized (this) {
            if (found == null) {
                found = locate();
            }
            return found;
        }
    }

    private String locate() {
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates) {
            String problem = check(candidate);
            if (problem == null) {
                log.info("Python functions run with {}", candidate);
                return candidate;
            }
            tried.add(candidate + " (" + problem + ")");
        }
        throw new DcfException(Status.Code.FAILED_PRECONDITION, "no Python that can import grpc was found; tried "
                + String.join(", ", tried) + "; install python3-grpcio and python3-protobuf"
                + " (Debian/Ubuntu) or set DCF_PYTHON to a Python that has grpcio");
    }

    /** Null when {@code python} imports grpc, else why not. */
    private static String check(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import grpc, google.protobuf")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : "cannot import grpc";
        } catch (IOException e) {
            return "not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}

package io.dcf.gateway.build.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Copies a build tool's output, line by line as it comes, to a log file and to a listener. */
final class ProcessOutput {

    private static final Logger log = LoggerFactory.getLogger(ProcessOutput.class);

    private ProcessOutput() {
    }

    /**
     * Starts a thread named {@code name} copying {@code process}'s standard output (stderr merged)
     * into {@code logFile} (appended) and to {@code lines}; it ends with the output. Join it.
     */
    static Thread copy(Process process, Path logFile, Consumer<String> lines, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                         StandardCharsets.UTF_8));
                 Writer out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                         StandardOpenOption.APPEND)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    if (!line.isBlank()) {
                        tell(lines, line);
                    }
                }
            } catch (IOException e) {
                log.warn("Cannot copy the output of {} to {}: {}", name, logFile, e.toString());
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** A listener that fails must not stop the copy: the process would block on a full pipe. */
    private static void tell(Consumer<String> lines, String line) {
        try {
            lines.accept(line);
        } catch (RuntimeException e) {
            log.debug("A listener refused a line of output: {}", e.toString());
        }
    }
}

package io.dcf.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/** This process's effective group id, from Linux's {@code /proc/self/status} (the JDK has no API for it). */
final class ProcessGroup {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessGroup() {
    }

    /** The effective gid; empty where {@code /proc} is not there (macOS) or does not say. */
    static OptionalInt effectiveGid() {
        try {
            return effectiveGid(Files.readString(STATUS, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /** The effective gid in a {@code /proc/<pid>/status} text: the second field of its {@code Gid:} line. */
    static OptionalInt effectiveGid(String status) {
        return status.lines()
                .filter(line -> line.startsWith("Gid:"))
                .map(line -> line.substring("Gid:".length()).trim().split("\\s+"))
                .filter(fields -> fields.length >= 2 && fields[1].matches("\\d{1,9}"))
                .mapToInt(fields -> Integer.parseInt(fields[1]))
                .findFirst();
    }
}

package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.LogSink;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads replica log files ({@code logs/replica-<i>.log}): tails and follows them. */
final class LogFiles {

    private static final Pattern NAME = Pattern.compile("replica-(\\d+)\\.log");
    private static final long FOLLOW_POLL_MS = 200;

    private LogFiles() {
    }

    static Path file(Path logDir, int replica) {
        return logDir.resolve("replica-" + replica + ".log");
    }

    /** The last {@code lines} lines of a file, joined by newlines; empty when unreadable. */
    static String tail(Path file, int lines) {
        return String.join("\n", lastLines(file, lines));
    }

    private static List<String> lastLines(Path file, int lines) {
        Deque<String> last = new ArrayDeque<>();
        try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
            all.forEach(line -> {
                last.addLast(line);
                if (lines > 0 && last.size() > lines) {
                    last.removeFirst();
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
        return new ArrayList<>(last);
    }

    /** Sends the tail of every replica's log, then (when following) new lines until cancelled. */
    static void stream(Path logDir, int tail, boolean follow, LogSink sink, BooleanSupplier cancelled) {
        TreeMap<Integer, Long> offsets = new TreeMap<>();
        for (var entry : replicaFiles(logDir).entrySet()) {
            Path file = entry.getValue();
            long size = size(file);
            for (String line : lastLines(file, tail)) {
                if (!sink.line(entry.getKey(), line)) {
                    return;
                }
            }
            offsets.put(entry.getKey(), size);
        }
        while (follow && !cancelled.getAsBoolean() && Files.isDirectory(logDir)) {
            for (var entry : replicaFiles(logDir).entrySet()) {
                long from = offsets.getOrDefault(entry.getKey(), 0L);
                long to = readFrom(entry.getValue(), from, entry.getKey(), sink);
                if (to < 0) {
                    return;
                }
                offsets.put(entry.getKey(), to);
            }
            LockSupport2.parkMillis(FOLLOW_POLL_MS);
        }
    }

    private static TreeMap<Integer, Path> replicaFiles(Path logDir) {
        TreeMap<Integer, Path> files = new TreeMap<>();
        if (!Files.isDirectory(logDir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(logDir)) {
            list.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.put(Integer.parseInt(m.group(1)), p);
                }
            });
        } catch (IOException e) {
            return files;
        }
        return files;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Sends complete lines written after {@code from}; returns the new offset, or -1 when the sink stopped. */
    private static long readFrom(Path file, long from, int replica, LogSink sink) {
        long size = size(file);
        if (size <= from) {
            return size < from ? 0 : from;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(from);
            byte[] bytes = new byte[(int) Math.min(size - from, 1 << 20)];
            raf.readFully(bytes);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    if (!sink.line(replica, new String(bytes, start, i - start, StandardCharsets.UTF_8))) {
                        return -1;
                    }
                    start = i + 1;
                }
            }
            return from + start;
        } catch (IOException e) {
            return from;
        }
    }
}

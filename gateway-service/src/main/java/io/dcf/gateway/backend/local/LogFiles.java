package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.LogSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads replica log files ({@code logs/replica-<i>.log} and its rotated {@code .1}, {@code .2}, ...):
 * tails them across the rotation and follows them through it.
 */
final class LogFiles {

    private static final Pattern NAME = Pattern.compile("replica-(\\d+)\\.log");
    private static final long FOLLOW_POLL_MS = 200;

    private LogFiles() {
    }

    static Path file(Path logDir, int replica) {
        return logDir.resolve("replica-" + replica + ".log");
    }

    /** The last {@code lines} lines of a log (rotated files included), joined by newlines; empty when unreadable. */
    static String tail(Path file, int lines) {
        return String.join("\n", lastLines(file, lines));
    }

    private static List<String> lastLines(Path file, int lines) {
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(oldestFirst(file), StandardCharsets.UTF_8))) {
            reader.lines().forEach(line -> {
                last.addLast(line);
                if (lines > 0 && last.size() > lines) {
                    last.removeFirst();
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        return new ArrayList<>(last);
    }

    /** The bytes of every file of the log, oldest first, as one stream (a line split by a rotation is whole again). */
    private static InputStream oldestFirst(Path file) throws IOException {
        List<InputStream> parts = new ArrayList<>();
        try {
            for (Path part : RotatingFile.oldestFirst(file)) {
                parts.add(Files.newInputStream(part));
            }
        } catch (IOException e) {
            for (InputStream part : parts) {
                part.close();
            }
            throw e;
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Sends the tail of every replica's log, then (when following) new lines until cancelled. */
    static void stream(Path logDir, int tail, boolean follow, LogSink sink, BooleanSupplier cancelled) {
        TreeMap<Integer, Position> positions = new TreeMap<>();
        for (var entry : replicaFiles(logDir).entrySet()) {
            Path file = entry.getValue();
            Position end = Position.endOf(file);
            for (String line : lastLines(file, tail)) {
                if (!sink.line(entry.getKey(), Integer.toString(entry.getKey()), line)) {
                    return;
                }
            }
            positions.put(entry.getKey(), end);
        }
        while (follow && !cancelled.getAsBoolean() && Files.isDirectory(logDir)) {
            for (var entry : replicaFiles(logDir).entrySet()) {
                Position from = positions.getOrDefault(entry.getKey(), Position.START);
                Position to = follow(entry.getValue(), from, entry.getKey(), sink);
                if (to == null) {
                    return;
                }
                positions.put(entry.getKey(), to);
            }
            LockSupport2.parkMillis(FOLLOW_POLL_MS);
        }
    }

    /**
     * Sends what was written to the log since {@code at}. When the file was rotated since
     * (it has another identity now), the rest of the old file (now {@code .1}) comes first,
     * then the new file from its start. Returns the new position, or null when the sink stopped.
     */
    private static Position follow(Path file, Position at, int replica, LogSink sink) {
        Object key = fileKey(file);
        if (key == null) {
            return at;
        }
        Position from = at;
        if (at.key() != null && !at.key().equals(key)) {
            for (Path old : RotatingFile.oldestFirst(file)) {
                if (at.key().equals(fileKey(old)) && readFrom(old, at.offset(), replica, sink) < 0) {
                    return null;
                }
            }
            from = Position.START;
        }
        long to = readFrom(file, from.offset(), replica, sink);
        return to < 0 ? null : new Position(key, to);
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

    /** The file's identity (device and inode on Linux); null when it cannot be read. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
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
                    if (!sink.line(replica, Integer.toString(replica),
                            new String(bytes, start, i - start, StandardCharsets.UTF_8))) {
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

    /** Where following a log has got to: which file (by identity) and how far into it. */
    private record Position(Object key, long offset) {
        static final Position START = new Position(null, 0);

        static Position endOf(Path file) {
            return new Position(fileKey(file), size(file));
        }
    }
}

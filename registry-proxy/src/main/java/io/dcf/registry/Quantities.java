package io.dcf.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the settings' sizes ({@code 10Gi}, {@code 512Mi}, {@code 1048576}) and durations ({@code 30s}, {@code 10m}, {@code PT1M}). */
final class Quantities {

    private static final Pattern SIZE = Pattern.compile("^(\\d+)(Ki|Mi|Gi|Ti)?$");
    private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");

    private Quantities() {
    }

    static long bytes(String name, String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: bytes, or a number with Ki, Mi, Gi or Ti, e.g. 10Gi)");
        }
        long n = Long.parseLong(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "Ki" -> 10;
            case "Mi" -> 20;
            case "Gi" -> 30;
            default -> 40;
        };
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: at most 8Ei)");
        }
        return n << shift;
    }

    static Duration duration(String name, String value) {
        String v = value.trim();
        if (v.toUpperCase(Locale.ROOT).startsWith("PT")) {
            try {
                return positive(name, value, Duration.parse(v));
            } catch (java.time.format.DateTimeParseException e) {
                throw invalid(name, value);
            }
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw invalid(name, value);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        return positive(name, value, d);
    }

    private static Duration positive(String name, String value, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: > 0; every upstream call has a deadline)");
        }
        return d;
    }

    private static IllegalArgumentException invalid(String name, String value) {
        return new IllegalArgumentException(name + ": '" + value + "' (expected: a duration such as 500ms, 30s, 10m, 1h or PT30S)");
    }
}

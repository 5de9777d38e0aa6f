package io.dcf.cli.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes: a number and an optional unit. {@code B}; decimal {@code KB MB GB}
 * (also {@code K M G}); binary {@code KiB MiB GiB} (also {@code Ki Mi Gi}).
 */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1_000L), Map.entry("kb", 1_000L),
            Map.entry("m", 1_000_000L), Map.entry("mb", 1_000_000L),
            Map.entry("g", 1_000_000_000L), Map.entry("gb", 1_000_000_000L),
            Map.entry("ki", 1L << 10), Map.entry("kib", 1L << 10),
            Map.entry("mi", 1L << 20), Map.entry("mib", 1L << 20),
            Map.entry("gi", 1L << 30), Map.entry("gib", 1L << 30));

    private Sizes() {
    }

    /** Parses a size in bytes; throws {@link IllegalArgumentException} with the expected form. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected for example 512KiB, 10MB or 1048576)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}

package io.dcf.cli.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes: a number and an optional unit, with the gateway's convention (Spring's
 * {@code DataSize}): {@code KB MB GB} are binary, so {@code 1MB} = 1 MiB = 1,048,576 bytes.
 * Units: {@code B}; {@code KB MB GB} (also {@code K M G}); {@code KiB MiB GiB} (also
 * {@code Ki Mi Gi}) mean the same; case-insensitive.
 */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1L << 10), Map.entry("kb", 1L << 10), Map.entry("ki", 1L << 10), Map.entry("kib", 1L << 10),
            Map.entry("m", 1L << 20), Map.entry("mb", 1L << 20), Map.entry("mi", 1L << 20), Map.entry("mib", 1L << 20),
            Map.entry("g", 1L << 30), Map.entry("gb", 1L << 30), Map.entry("gi", 1L << 30), Map.entry("gib", 1L << 30));

    private Sizes() {
    }

    /** Parses a size in bytes; throws {@link IllegalArgumentException} with the expected form. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected for example 512KB, 10MB or"
                    + " 1048576; 1MB = 1048576 bytes)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}

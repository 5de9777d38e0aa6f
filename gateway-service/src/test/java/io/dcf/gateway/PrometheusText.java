package io.dcf.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser of the Prometheus text format 0.0.4 for tests: every sample belongs to a
 * family declared by {@code # TYPE} before it, label values are quoted with the format's
 * escapes, values are numbers (or +Inf, -Inf, NaN), and no series appears twice. Anything else
 * fails the parse, naming the line.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Set<String> SUFFIXES = Set.of("_total", "_bucket", "_count", "_sum", "_created", "_max");

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        String[] lines = text.split("\n", -1);
        Set<String> series = new java.util.HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ");
                    require(parts.length == 2 && Set.of("counter", "gauge", "histogram", "summary", "untyped")
                            .contains(parts[1]), "a TYPE line is '# TYPE <name> <type>'");
                    require(parsed.types.put(parts[0], parts[1]) == null, "family " + parts[0] + " declared twice");
                } else if (line.startsWith("#")) {
                    require(line.startsWith("# HELP "), "a comment other than HELP or TYPE");
                } else {
                    Sample sample = sample(line);
                    require(parsed.family(sample.name()) != null, "no TYPE declared for " + sample.name());
                    require(series.add(sample.name() + sample.labels()), "series repeated");
                    parsed.samples.add(sample);
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
            }
        }
        return parsed;
    }

    /** The declared family a sample name belongs to: itself, or itself less a histogram/counter suffix. */
    private String family(String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    String type(String family) {
        return types.get(family);
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the one series {@code name} with exactly {@code labels}; null when absent. */
    Double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .map(Sample::value).findFirst().orElse(null);
    }

    /** The values of {@code name} whose labels include {@code labels}, keyed by their full label sets. */
    List<Sample> matching(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        require(i > 0, "a sample starts with a metric name");
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int start = i;
                while (isNameChar(line.charAt(i), i == start)) {
                    i++;
                }
                require(i > start && line.startsWith("=\"", i), "a label is name=\"value\"");
                String label = line.substring(start, i);
                i += 2;
                StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char escaped = line.charAt(i++);
                        require(escaped == '\\' || escaped == '"' || escaped == 'n', "bad escape \\" + escaped);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                i++;
                require(labels.put(label, value.toString()) == null, "label " + label + " repeated");
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
            labels = Map.copyOf(labels);
        } else {
            labels = Map.of();
        }
        require(i < line.length() && line.charAt(i) == ' ', "a space before the value");
        String[] rest = line.substring(i + 1).split(" ");
        require(rest.length == 1 || rest.length == 2, "a value and an optional timestamp");
        return new Sample(name, labels, number(rest[0]));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}

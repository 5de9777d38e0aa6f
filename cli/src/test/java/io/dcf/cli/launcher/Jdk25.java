package io.dcf.cli.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A JDK 25 or later for the tests that run the CLI on it: {@code -Ddcf.test.jdk25=DIR}, else the newest
 * such JDK under /usr/lib/jvm (the java-maven machine image, and so CI, has Temurin's there). Never
 * skipped: without one, the tests fail saying what is missing.
 */
final class Jdk25 {

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private Jdk25() {
    }

    static Path home() {
        String configured = System.getProperty("dcf.test.jdk25");
        if (configured != null) {
            Path jdk = Path.of(configured);
            if (feature(jdk) < 25 || !Files.isExecutable(jdk.resolve("bin/jcmd"))) {
                throw new IllegalStateException("dcf.test.jdk25=" + jdk + " is not a JDK 25 or later with bin/jcmd");
            }
            return jdk;
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/jcmd")))
                    .filter(jdk -> feature(jdk) >= 25)
                    .max(Comparator.comparingInt(Jdk25::feature))
                    .orElseThrow(() -> new IllegalStateException("no JDK 25 or later (with bin/jcmd) under /usr/lib/jvm;"
                            + " install one (Temurin's) or name one with -Ddcf.test.jdk25=DIR"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /usr/lib/jvm for a JDK 25: " + e.getMessage(), e);
        }
    }

    /** The JDK's feature release from its {@code release} file; 0 when it has none. */
    static int feature(Path jdk) {
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(jdk.resolve("release"), StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** {@code java.vm.version} as that JVM reports it (what the CLI running on it digests). */
    static String vmVersion(Path jdk) throws IOException, InterruptedException {
        Process java = new ProcessBuilder(jdk.resolve("bin/java").toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String settings = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!java.waitFor(60, TimeUnit.SECONDS)) {
            java.destroyForcibly();
        }
        Optional<String> version = settings.lines().map(String::trim).filter(l -> l.startsWith("java.vm.version = "))
                .map(l -> l.substring("java.vm.version = ".length())).findFirst();
        return version.orElseThrow(() -> new IllegalStateException(jdk + "/bin/java printed no java.vm.version:\n"
                + settings));
    }
}

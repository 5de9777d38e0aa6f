package io.dcf.cli.launcher;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The gateway JVM's start-up archive, kept in {@code <DCF_HOME>/cache}: on JDK 25 and later an AOT
 * cache (JEP 483 and 515: the classes loaded and linked, plus the method profiles of the run that
 * made it), before that a dynamic AppCDS archive (the classes loaded and parsed). There is no
 * separate training run: a gateway started without an archive records one when it exits (the JVM
 * writes {@code <archive>.part}); the next start checks that file with a trial JVM (a truncated
 * CDS archive would crash JDK 17) and renames it into place. The file's name holds a digest of the
 * JVM and of every jar on the gateway's class path, so a rebuilt jar or another JVM looks for (and
 * makes) another archive; an archive the JVM still does not map is deleted with a notice, and the
 * gateway runs without it. Never a reason for the gateway not to start.
 */
final class StartupArchive {

    /** How long the trial JVM that checks a new archive may take. */
    private static final long TRIAL_SECONDS = 60;
    /** The extra time a gateway that records its archive gets to exit. */
    static final Duration RECORDING_GRACE = Duration.ofSeconds(90);

    private final Path cacheDir;
    private final Path java;
    private final Path gatewayJar;
    private final boolean aot;
    private final Path archive;

    private StartupArchive(Path cacheDir, Path java, Path gatewayJar, boolean aot, String digest) {
        this.cacheDir = cacheDir;
        this.java = java;
        this.gatewayJar = gatewayJar;
        this.aot = aot;
        this.archive = cacheDir.resolve("gateway-" + digest + (aot ? ".aot" : ".jsa"));
    }

    /**
     * The archive of {@code gatewayJar} (and the jars its manifest names) run by {@code java}, a JVM of
     * release {@code feature} whose {@code java.vm.version} is {@code vmVersion}.
     */
    static StartupArchive of(Path cacheDir, Path java, int feature, String vmVersion, Path gatewayJar)
            throws IOException {
        requireNonNull(cacheDir, "cacheDir");
        boolean aot = feature >= 25;
        MessageDigest sha = sha256();
        update(sha, (aot ? "aot" : "cds") + '\n' + java.toRealPath() + '\n' + vmVersion + '\n');
        for (Path jar : classPath(gatewayJar)) {
            update(sha, jar.toRealPath() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis()
                        + '\n');
        }
        return new StartupArchive(cacheDir, java, gatewayJar, aot,
                                  HexFormat.of().formatHex(sha.digest()).substring(0, 16));
    }

    Path archive() {
        return archive;
    }

    /** Where the JVM records a new archive; renamed to {@link #archive()} once checked. */
    Path pending() {
        return archive.resolveSibling(archive.getFileName() + ".part");
    }

    /**
     * The JVM options for the gateway's next start: use the archive when there is one (a pending one
     * is checked and moved into place first), else record one at the gateway's exit. Old archives
     * of the same kind (other jars, other JVMs) are deleted.
     */
    List<String> jvmOptions(Consumer<String> notice) throws IOException {
        Files.createDirectories(cacheDir);
        // JDK 25's recording configuration, which it removes once the cache is assembled: left when that
        // gateway was killed first (dcf down's grace ran out). No recording runs now (one gateway a home).
        deleteQuietly(pending().resolveSibling(pending().getFileName() + ".config"));
        if (!Files.isRegularFile(archive) && Files.isRegularFile(pending())) {
            promote(notice);
        }
        if (Files.isRegularFile(archive)) {
            return aot ? List.of("-XX:AOTCache=" + archive) : List.of("-XX:SharedArchiveFile=" + archive);
        }
        deleteOthers();
        notice.accept("no start-up archive (" + kind() + ") for this gateway and JVM yet: the gateway records "
                      + archive + " when it exits, and starts faster from the next time");
        // Both warn once per class they leave out of the archive (JDK 17: hundreds of lines; JDK 25: about 150,
        // proxies and multi-release classes, from the gateway and again from the JVM that assembles the cache).
        return aot ? List.of("-XX:AOTCacheOutput=" + pending(), "-Xlog:aot*=error")
                   : List.of("-XX:ArchiveClassesAtExit=" + pending(), "-Xlog:cds*=error");
    }

    /**
     * How long to let {@code gateway} exit after SIGTERM: {@code grace}, plus {@link #RECORDING_GRACE} when
     * it records its archive at exit (linking every loaded class and writing the file takes seconds on
     * a quiet machine, tens of seconds on a loaded one, and a killed recording is lost).
     */
    static Duration stopGrace(ProcessHandle gateway, Duration grace) {
        boolean recording = gateway.info().arguments().stream().flatMap(Arrays::stream)
                .anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=") || a.startsWith("-XX:AOTCacheOutput="));
        return recording ? grace.plus(RECORDING_GRACE) : grace;
    }

    /**
     * After the gateway started with {@link #archive()}: true when its JVM maps the file (said to
     * {@code used}, a line for the gateway's log). When not (made by another JVM build, damaged), the JVM
     * ran without it; the file is deleted with a notice, so the next start records a new one. Linux only
     * ({@code /proc}); elsewhere assumed used, as is a gateway that records its archive.
     */
    boolean checkUsed(long pid, Consumer<String> notice, Consumer<String> used) {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        if (!Files.isRegularFile(archive) || !Files.isReadable(maps)) {
            return true;
        }
        try (Stream<String> lines = Files.lines(maps, StandardCharsets.UTF_8)) {
            String name = archive.toString();
            if (lines.anyMatch(line -> line.endsWith(name))) {
                used.accept("the gateway's JVM maps its start-up archive " + archive + " (" + kind() + ")");
                return true;
            }
        } catch (IOException | UncheckedIOException e) {
            return true; // the process is gone or unreadable: nothing to conclude
        }
        notice.accept("the gateway's JVM did not use its start-up archive " + archive + " (made by another JVM or"
                      + " damaged; it started without it); deleted it: the next gateway records a new one");
        deleteQuietly(archive);
        return false;
    }

    String kind() {
        return aot ? "AOT cache" : "CDS archive";
    }

    /** Runs a trial JVM that must map the pending archive; moves it into place if it did, else deletes it. */
    private void promote(Consumer<String> notice) throws IOException {
        Path errorFile = cacheDir.resolve("trial-hs_err.log");
        List<String> trial = new ArrayList<>(List.of(java.toString(), "-XX:ErrorFile=" + errorFile));
        trial.addAll(aot ? List.of("-XX:AOTMode=on", "-XX:AOTCache=" + pending())
                         : List.of("-Xshare:on", "-XX:SharedArchiveFile=" + pending()));
        trial.addAll(List.of("-cp", gatewayJar.toString(), "-version"));
        Process process = new ProcessBuilder(trial).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean usable;
        try {
            usable = process.waitFor(TRIAL_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            usable = false;
        } finally {
            process.destroyForcibly();
            deleteQuietly(errorFile);
        }
        if (usable) {
            Files.move(pending(), archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            notice.accept("the start-up archive " + pending() + " that the last gateway recorded cannot be used"
                          + " (not finished, or damaged); deleted it, and this gateway records a new one");
            deleteQuietly(pending());
        }
    }

    /**
     * Archives of this kind for other jars or JVMs (only the current one is kept), and the
     * configuration files a JDK 25 recording leaves when it is stopped before its cache is made.
     */
    private void deleteOthers() throws IOException {
        String suffix = aot ? ".aot" : ".jsa";
        try (Stream<Path> files = Files.list(cacheDir)) {
            files.filter(f -> f.getFileName().toString().startsWith("gateway-"))
                 .filter(f -> f.toString().endsWith(suffix) || f.toString().endsWith(suffix + ".part")
                              || f.toString().endsWith(".part.config"))
                 .filter(f -> !f.equals(archive) && !f.equals(pending()))
                 .forEach(StartupArchive::deleteQuietly);
        }
    }

    /** The gateway jar and the jars its manifest's Class-Path names (lib/...), as the JVM will load them. */
    static List<Path> classPath(Path gatewayJar) throws IOException {
        List<Path> jars = new ArrayList<>(List.of(gatewayJar));
        try (JarFile jar = new JarFile(gatewayJar.toFile())) {
            String classPath = jar.getManifest() == null ? null
                    : jar.getManifest().getMainAttributes().getValue("Class-Path");
            if (classPath != null) {
                for (String entry : classPath.trim().split("\\s+")) {
                    Path lib = gatewayJar.resolveSibling(entry);
                    if (Files.isRegularFile(lib)) {
                        jars.add(lib);
                    }
                }
            }
        }
        return jars;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a file we cannot delete is only a stale cache entry
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
    }
}

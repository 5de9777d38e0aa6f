package io.dcf.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The gateway's version, as {@code /system/info} reports it: {@code dcf-version.properties} beside this
 * class (filtered by Maven, so it is in the jar and in Jib's exploded image alike), else the jar
 * manifest's Implementation-Version, else {@code dev} (classes compiled outside Maven).
 */
final class GatewayVersion {

    static final String RESOURCE = "dcf-version.properties";
    private static final String DEV = "dev";

    private GatewayVersion() {
    }

    static String current() {
        try (InputStream in = GatewayVersion.class.getResourceAsStream(RESOURCE)) {
            return of(in, GatewayVersion.class.getPackage().getImplementationVersion());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the gateway's classpath", e);
        }
    }

    /** The version in {@code resource} (may be null) when Maven filled it in, else {@code manifest}, else dev. */
    static String of(InputStream resource, String manifest) throws IOException {
        if (resource != null) {
            Properties properties = new Properties();
            properties.load(resource);
            String version = properties.getProperty("version", "").strip();
            if (!version.isEmpty() && !version.contains("${")) {
                return version;
            }
        }
        return manifest == null || manifest.isBlank() ? DEV : manifest;
    }
}

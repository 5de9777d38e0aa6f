package io.dcf.gateway.build.service;

import com.google.protobuf.ByteString;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.Artifact;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * What the gateway uploads to build-service for an artifact: its {@code source_zip} as it is,
 * or its {@code jar} as a zip holding {@code function.jar} (a function directory with one jar).
 *
 * @param bytes  the bundle
 * @param format the bundle's format ({@code BuildStart.bundle_format})
 */
record Bundle(ByteString bytes, String format) {

    /** The name a {@code jar} artifact gets in its bundle. */
    static final String JAR_ENTRY = "function.jar";

    static Bundle of(String function, Artifact artifact) {
        return switch (artifact.getSourceCase()) {
            case SOURCE_ZIP -> new Bundle(artifact.getSourceZip(), "zip");
            case JAR -> new Bundle(jarBundle(artifact.getJar()), "zip");
            case LOCAL_PATH -> throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + function
                    + ": artifact.local_path names a path on the gateway's own machine, which the kubernetes backend"
                    + " does not read; send the directory as source_zip (dcf function create -f config.yaml does)");
            case SOURCE_NOT_SET -> throw new InvalidFunctionSpecException("function " + function
                    + ": artifact: no code given (expected: source_zip or jar)");
        };
    }

    private static ByteString jarBundle(ByteString jar) {
        ByteString.Output out = ByteString.newOutput(jar.size() + 256);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry(JAR_ENTRY);
            entry.setTime(0); // the same jar makes the same bundle
            zip.putNextEntry(entry);
            jar.writeTo(zip);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bundle a jar", e);
        }
        return out.toByteString();
    }
}

package io.dcf.build.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.build.bundle.BundleExtractor;
import io.dcf.build.bundle.BundleFormat;
import io.dcf.build.bundle.BundleException;
import io.dcf.build.bundle.BundleLimits;
import io.dcf.build.testing.Bundles;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one table from exceptions to gRPC codes, and that unexpected ones never carry their details. */
class BuildErrorsTest {

    @TempDir
    static Path tmp;

    static Stream<Arguments> table() throws Exception {
        return Stream.of(
                Arguments.of(BuildServiceException.notFound("b1"), Status.Code.NOT_FOUND, "build b1: not found"),
                Arguments.of(BuildServiceException.invalid("spec.name: ''"), Status.Code.INVALID_ARGUMENT, "spec.name: ''"),
                Arguments.of(new BuildServiceException(Status.Code.FAILED_PRECONDITION, "no kaniko"),
                        Status.Code.FAILED_PRECONDITION, "no kaniko"),
                Arguments.of(bundleError(Bundles.tarGz().file("../x", "x")), Status.Code.INVALID_ARGUMENT,
                        "function fn: bundle entry '../x'"),
                Arguments.of(bundleError(Bundles.tarGz().file("a", "1").file("b", "2")), Status.Code.RESOURCE_EXHAUSTED,
                        "function fn: bundle entry 'b': more than 1 entries"),
                Arguments.of(new IllegalArgumentException("bundle_format: 'rar'"), Status.Code.INVALID_ARGUMENT,
                        "bundle_format: 'rar'"),
                Arguments.of(Status.DEADLINE_EXCEEDED.withDescription("late").asRuntimeException(),
                        Status.Code.DEADLINE_EXCEEDED, "late"),
                Arguments.of(new IllegalStateException("secret detail /etc/x"), Status.Code.INTERNAL,
                        "build-service: internal error (IllegalStateException); its log has the details"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void toStatus_mapsEachExceptionToItsCode(Throwable error, Status.Code code, String description) {
        Status status = BuildErrors.toStatus(error);
        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).startsWith(description);
        assertThat(status.getCause()).isNull();
    }

    private static BundleException bundleError(Bundles bundle) throws Exception {
        Path file = bundle.writeTo(Files.createTempFile(tmp, "b", ".tar.gz"));
        return Assertions.catchThrowableOfType(BundleException.class, () -> new BundleExtractor(new BundleLimits(100, 1, 4))
                .extract("fn", file, BundleFormat.TAR_GZ, Files.createTempDirectory(tmp, "x")));
    }
}

package io.dcf.gateway.build.local;

import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.runtimes.build.JavaCompileException;
import io.dcf.runtimes.build.JavaSources;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;

/**
 * The local backend's use of the shared compile step ({@link JavaSources}): compile errors
 * become {@link InvalidFunctionSpecException}, a JRE without javac FAILED_PRECONDITION.
 */
final class JavaSourceCompiler {

    /**
     * Compiles every {@code *.java} under {@code sources} into {@code classes}.
     *
     * @param extraClasspath jars the function brings
     * @return false when there was nothing to compile
     * @throws InvalidFunctionSpecException with the compiler's errors
     */
    boolean compile(String function, Path sources, Path classes, List<Path> extraClasspath) {
        try {
            return !JavaSources.compile(function, sources, classes, extraClasspath).empty();
        } catch (JavaCompileException e) {
            if (e.noCompiler()) {
                throw new DcfException(Status.Code.FAILED_PRECONDITION, "cannot compile function " + function
                        + ": the gateway runs on a JRE without a Java compiler; run it on a JDK");
            }
            throw new InvalidFunctionSpecException(e.getMessage());
        }
    }
}

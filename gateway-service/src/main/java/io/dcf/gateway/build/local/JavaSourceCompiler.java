package io.dcf.gateway.build.local;

import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.BuildPhase;
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
     * Compiles every {@code *.java} under {@code sources} into {@code classes}, telling {@code steps}
     * the step and the compiler's diagnostics (its errors, file and line first, when it fails).
     *
     * @param extraClasspath jars the function brings
     * @return false when there was nothing to compile
     * @throws InvalidFunctionSpecException with the compiler's errors
     */
    boolean compile(String function, Path sources, Path classes, List<Path> extraClasspath, BuildSteps steps) {
        steps.step(BuildPhase.BUILD_PHASE_BUILDING, "compiling");
        try {
            JavaSources.Compilation compilation = JavaSources.compile(function, sources, classes, extraClasspath);
            compilation.messages().forEach(steps::output);
            if (!compilation.empty()) {
                steps.output("compiled " + compilation.sourceFiles() + " Java file"
                        + (compilation.sourceFiles() == 1 ? "" : "s") + " into " + compilation.classes().size()
                        + " class" + (compilation.classes().size() == 1 ? "" : "es"));
            }
            return !compilation.empty();
        } catch (JavaCompileException e) {
            e.errors().forEach(steps::output);
            if (e.noCompiler()) {
                throw new DcfException(Status.Code.FAILED_PRECONDITION, "cannot compile function " + function
                        + ": the gateway runs on a JRE without a Java compiler; run it on a JDK");
            }
            throw new InvalidFunctionSpecException(e.getMessage());
        }
    }
}

package io.dcf.build.kaniko;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Kaniko build as its Job runs it.
 *
 * @param buildId     the build's id (names the Job)
 * @param function    the function built (a label)
 * @param destination {@code registry/name:tag}, what the executor pushes
 * @param dockerfile  the Dockerfile's path inside the context, e.g. {@code Dockerfile}
 * @param buildArgs   the {@code --build-arg}s in order ({@link BuildArguments})
 * @param contextUrl  where the fetcher downloads the context, one-time token included
 */
record KanikoBuild(String buildId, String function, String destination, String dockerfile,
                   Map<String, String> buildArgs, URI contextUrl) {

    KanikoBuild {
        requireNonNull(buildId, "buildId");
        requireNonNull(function, "function");
        requireNonNull(destination, "destination");
        requireNonNull(dockerfile, "dockerfile");
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        requireNonNull(contextUrl, "contextUrl");
    }

    /** The Job's name. */
    String jobName() {
        return JobNames.of(buildId);
    }
}

package io.dcf.build.service;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.dcf.proto.FunctionNames;
import io.dcf.proto.v1.BuildStart;
import java.util.regex.Pattern;

/** Checks of a {@code BuildStart}: the function's name, where to push; messages name the field. */
final class BuildRequests {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final String registry;

    /** @param registry the default registry ({@code dcf.build.registry}); empty: requests must name a repository */
    BuildRequests(String registry) {
        this.registry = registry;
    }

    /** The function's name; INVALID_ARGUMENT unless it is a DNS-1123 label. */
    static String function(BuildStart start) {
        if (!start.hasSpec()) {
            throw BuildServiceException.invalid("start.spec: missing (the function's settings)");
        }
        String name = start.getSpec().getName();
        if (!FunctionNames.isValid(name)) {
            throw BuildServiceException.invalid("spec.name: '" + name + "' (expected: a DNS-1123 label: lowercase"
                    + " letters, digits and '-', at most 63)");
        }
        return name;
    }

    /** {@code start.repository}, or the default registry and the function's name. */
    String repository(BuildStart start, String function) {
        String repository = start.getRepository();
        if (repository.isEmpty()) {
            if (registry.isEmpty()) {
                throw BuildServiceException.invalid("function " + function + ": repository: empty, and this"
                        + " build-service has no default registry (dcf.build.registry)");
            }
            repository = registry + "/" + function;
        }
        if (repository.contains("@") || repository.endsWith(":") || hasTag(repository)) {
            throw BuildServiceException.invalid("function " + function + ": repository: '" + repository
                    + "' (expected: registry/name, without tag or digest)");
        }
        try {
            ImageReference.parse(repository);
        } catch (InvalidImageReferenceException e) {
            throw BuildServiceException.invalid("function " + function + ": repository: '" + repository
                    + "' is not an image repository (expected: registry/name)");
        }
        return repository;
    }

    /** {@code start.tag}, or the build's id. */
    static String tag(BuildStart start, String id, String function) {
        String tag = start.getTag().isEmpty() ? id : start.getTag();
        if (!TAG.matcher(tag).matches()) {
            throw BuildServiceException.invalid("function " + function + ": tag: '" + tag
                    + "' (expected: letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')");
        }
        return tag;
    }

    private static boolean hasTag(String repository) {
        int slash = repository.lastIndexOf('/');
        return repository.indexOf(':', slash + 1) >= 0 && slash >= 0;
    }
}

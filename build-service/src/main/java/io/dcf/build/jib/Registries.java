package io.dcf.build.jib;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the Jib builder reaches registries: credentials from a {@code .dockerconfigjson} file
 * (read by Jib when needed, never logged), plain HTTP only for the registries listed as insecure.
 */
public final class Registries {

    private static final String TAR = "tar://";
    private static final String REGISTRY = "registry://";

    private final List<String> insecure;
    private final Optional<Path> dockerConfig;

    /**
     * @param insecure     registries (host:port) reached over plain HTTP
     * @param dockerConfig a {@code .dockerconfigjson} file with the registries' credentials
     */
    public Registries(List<String> insecure, Optional<Path> dockerConfig) {
        this.insecure = List.copyOf(insecure);
        this.dockerConfig = dockerConfig;
    }

    /** A base image: {@code tar:///path} (a docker-save tarball) or a registry reference. */
    JibContainerBuilder base(String reference) throws InvalidImageReferenceException {
        if (reference.startsWith(TAR)) {
            return Jib.from(reference);
        }
        if (reference.contains("://") && !reference.startsWith(REGISTRY)) {
            throw new IllegalArgumentException("base: '" + reference + "' (expected: a registry image or tar://;"
                    + " there is no Docker daemon)");
        }
        return Jib.from(image(reference.startsWith(REGISTRY) ? reference.substring(REGISTRY.length()) : reference));
    }

    /**
     * Where to push {@code target} (registry/name:tag); plain HTTP allowed when its registry or
     * the registry of {@code base} is listed insecure (Jib's switch covers both).
     */
    Containerizer to(String target, String base) throws InvalidImageReferenceException {
        RegistryImage image = image(target);
        boolean plain = insecure.contains(ImageReference.parse(target).getRegistry());
        if (!base.startsWith(TAR)) {
            String ref = base.startsWith(REGISTRY) ? base.substring(REGISTRY.length()) : base;
            plain |= insecure.contains(ImageReference.parse(ref).getRegistry());
        }
        return Containerizer.to(image).setAllowInsecureRegistries(plain);
    }

    /** Whether any registry is reached over plain HTTP. */
    public boolean anyInsecure() {
        return !insecure.isEmpty();
    }

    private RegistryImage image(String reference) throws InvalidImageReferenceException {
        return named(ImageReference.parse(reference));
    }

    /** {@code ref} with the credentials of the docker config file, when there is one. */
    public RegistryImage named(ImageReference ref) {
        RegistryImage image = RegistryImage.named(ref);
        dockerConfig.ifPresent(file -> image.addCredentialRetriever(
                CredentialRetrieverFactory.forImage(ref, event -> { }).dockerConfig(file)));
        return image;
    }
}

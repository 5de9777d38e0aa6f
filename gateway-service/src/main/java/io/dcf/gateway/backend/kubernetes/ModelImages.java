package io.dcf.gateway.backend.kubernetes;

import io.dcf.gateway.backend.ModelFile;
import io.dcf.gateway.build.service.BuildServiceSettings;

/**
 * Makes a function's next image for {@code update-model}: the current image plus one layer
 * holding the model file. Implemented by build-service's {@code dcf.v1.Builder/AddLayer}.
 */
public interface ModelImages extends AutoCloseable {

    /**
     * Pushes {@code baseImage} + one layer holding {@code model} at {@code model.path()}; returns the
     * new image by digest ({@code registry/name@sha256:...}). Blocking, bounded by the client's deadline.
     */
    String addLayer(String baseImage, ModelFile model);

    /** build-service's AddLayer, reached as {@code settings} say (address, deadline, the gateway's token). */
    static ModelImages builderService(BuildServiceSettings settings) {
        return new BuilderModelImages(settings);
    }

    @Override
    void close();
}

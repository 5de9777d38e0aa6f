package io.dcf.gateway.build.service;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the gateway reaches build-service.
 *
 * @param address           {@code host:port} the gateway dials (gRPC dcf.v1.Builder, plaintext)
 * @param advertisedAddress {@code host:port} clients are told to use ({@code Info.build_service})
 * @param timeout           the deadline of one whole build: upload, build, push
 * @param token             the bearer token sent with every call (read on each build: it may rotate);
 *                          empty sends none
 */
public record BuildServiceSettings(String address, String advertisedAddress, Duration timeout,
                                   Supplier<Optional<String>> token) {

    public BuildServiceSettings {
        requireNonNull(address, "address");
        requireNonNull(advertisedAddress, "advertisedAddress");
        requireNonNull(timeout, "timeout");
        requireNonNull(token, "token");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address: '' (expected: host:port)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
    }
}

package io.dcf.cli.function;

import io.dcf.cli.CliException;
import io.dcf.cli.config.Durations;

import java.time.Duration;

/** Parsing of option values shared by commands. */
final class Args {

    private Args() {
    }

    /** A positive duration such as {@code 30s}; a usage error otherwise. */
    static Duration duration(String value, String option) {
        try {
            Duration d = Durations.parse(value);
            if (d.isZero()) {
                throw new IllegalArgumentException("'" + value + "' is zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + ": " + e.getMessage());
        }
    }
}

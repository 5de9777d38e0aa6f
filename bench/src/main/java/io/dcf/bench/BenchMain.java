package io.dcf.bench;

import java.util.List;

/**
 * The command line: {@code java -jar dcf-bench.jar --direct=127.0.0.1:P --gateway=127.0.0.1:Q}.
 * Prints progress to stderr and the report (Markdown) to stdout; exits 1 when a
 * scenario had errors or completed nothing, 2 on bad arguments.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Before any logger exists: Armeria's INFO lines would drown the report.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("dcf-bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        List<PhaseResult> results = Bench.run(options, System.err::println);
        System.out.print(Report.format(options, results));
        System.out.flush();
        boolean failed = results.stream().anyMatch(r -> r.errors() > 0 || r.requests() == 0);
        System.exit(failed ? 1 : 0);
    }
}

package io.dcf.cli;

import io.dcf.cli.launcher.GatewayProcess;
import io.dcf.common.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real local gateway for one test class: a child process started exactly as {@code dcf up}
 * starts it, on a free port, with a DCF_HOME of its own. Register it as a static field
 * ({@code @RegisterExtension static final LocalGateway GATEWAY = new LocalGateway();}). After the
 * class it stops the gateway, fails the class if a replica outlived it, and removes the home.
 */
final class LocalGateway implements BeforeAllCallback, AfterAllCallback {

    private Path repo;
    private Path home;
    private GatewayProcess gateway;
    private String address;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        repo = Path.of(System.getProperty("dcf.repo", "..")).toAbsolutePath().normalize();
        home = Files.createTempDirectory("dcf-cli-it-");
        gateway = GatewayProcess.start(repo, home, 0, false);
        address = "127.0.0.1:" + gateway.awaitServing(Duration.ofSeconds(90));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (gateway != null) {
                List<ProcessHandle> children = gateway.process().descendants().toList();
                gateway.stop(Duration.ofSeconds(30));
                List<Long> alive = children.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
                if (!alive.isEmpty()) {
                    throw new AssertionError("replicas outlived the gateway: pids " + alive);
                }
            }
        } finally {
            if (home != null) {
                FileTrees.delete(home);
            }
        }
    }

    /** The repository the gateway runs from (its examples, its built jars). */
    Path repo() {
        return repo;
    }

    /** The gateway's DCF_HOME; the CLI runs with the same one. */
    Path home() {
        return home;
    }

    /** {@code 127.0.0.1:<port>}, HTTP and gRPC. */
    String address() {
        return address;
    }

    /** The CLI in {@code work}, with this gateway's home and {@code DCF_GATEWAY} set to it. */
    CliRunner cli(Path work) {
        return new CliRunner(work, home).env("DCF_GATEWAY", address);
    }
}

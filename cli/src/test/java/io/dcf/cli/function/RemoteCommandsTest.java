package io.dcf.cli.function;

import io.dcf.cli.CliRunner;
import io.dcf.cli.ExitCode;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The remote commands against a fake gateway on a real port. */
class RemoteCommandsTest {

    @TempDir
    Path dir;

    private FakeGateway gateway;
    private CliRunner cli;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new FakeGateway();
        cli = new CliRunner(dir, dir.resolve("home")).env("DCF_GATEWAY", gateway.address())
                .env("DCF_TOKEN", FakeGateway.TOKEN);
    }

    @AfterEach
    void tearDown() throws Exception {
        gateway.close();
    }

    @Test
    void create_triesUpdateThenDeploysAndPrintsEachPhase() throws Exception {
        cli.run("function", "init", "--runtime", "python", "hello-dcf");
        Files.createDirectories(dir.resolve("hello-dcf/__pycache__"));
        Files.writeString(dir.resolve("hello-dcf/__pycache__/handler.cpython-311.pyc"), "x");

        CliRunner.Result result = cli.run("function", "create", "-f", "config.yaml");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("""
                Building: hello-dcf (python, ./hello-dcf)
                Deploying: hello-dcf
                Attempting update... but Function Not Found. Deploying Function...
                http trigger url: http://%s/function/hello-dcf
                """.formatted(gateway.address()));
        assertThat(gateway.calls).containsExactly("update hello-dcf", "deploy hello-dcf");
        DeployRequest deployed = gateway.deploys.get(1);
        assertThat(deployed.getSpec().getRuntime()).isEqualTo("python");
        assertThat(deployed.getSpec().getHandler().getFile()).isEqualTo("handler.py");
        assertThat(zipEntries(deployed)).containsExactly("Dockerfile", "handler.py", "requirements.txt");
    }

    @Test
    void create_gatewayWithoutDeployFollow_usesTheUnaryCalls_afterAskingOnce() {
        cli.run("function", "init", "--runtime", "python", "one-fn");
        cli.run("function", "init", "--runtime", "python", "two-fn");

        CliRunner.Result result = cli.run("function", "create", "-f", "config.yaml");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(gateway.methods).filteredOn(m -> m.startsWith("Deploy") || m.equals("Update"))
                .containsExactly("DeployFollow", "Update", "Deploy", "Update", "Deploy");
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("http trigger url: http://" + gateway.address() + "/function/one-fn",
                "http trigger url: http://" + gateway.address() + "/function/two-fn");
    }

    @Test
    void deploy_ofAnExistingFunction_updatesIt() {
        cli.run("function", "init", "--runtime", "python", "hello-dcf");
        cli.run("function", "deploy");

        CliRunner.Result result = cli.run("function", "deploy", "-f", "config.yaml");

        assertThat(result.out()).contains("Function hello-dcf already exists, attempting rolling-update.");
        assertThat(gateway.calls).containsExactly("update hello-dcf", "deploy hello-dcf", "update hello-dcf");
    }

    @Test
    void call_isBinarySafeBothWays() {
        gateway.functions.put("echo", FunctionStatus.newBuilder().setSpec(FunctionSpec.newBuilder().setName("echo")).build());
        byte[] input = new byte[256];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) i;
        }

        CliRunner.Result result = cli.run(input, "function", "call", "echo", "--content-type", "image/jpeg",
                "--header", "x-user=alice");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.outBytes()).isEqualTo(input);
        assertThat(gateway.invokes.get(0).getContentType()).isEqualTo("image/jpeg");
        assertThat(gateway.invokes.get(0).getHeadersMap()).containsEntry("x-user", "alice");
    }

    @Test
    void call_withData_sendsItInsteadOfStdin() {
        gateway.functions.put("echo", FunctionStatus.newBuilder().setSpec(FunctionSpec.newBuilder().setName("echo")).build());

        CliRunner.Result result = cli.run("ignored".getBytes(), "fn", "call", "echo", "--data", "Hello, DCF!\n");

        assertThat(result.out()).isEqualTo("Hello, DCF!\n");
    }

    @Test
    void call_fromATerminal_printsAHintOnStderrOnly() {
        gateway.functions.put("echo", FunctionStatus.newBuilder().setSpec(FunctionSpec.newBuilder().setName("echo")).build());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        io.dcf.cli.Cli tty = new io.dcf.cli.Cli(new ByteArrayInputStream("typed\n".getBytes()), new java.io.PrintStream(out),
                new java.io.PrintStream(err), java.util.Map.of("DCF_GATEWAY", gateway.address(),
                "DCF_HOME", dir.toString()), dir, true);

        int code = io.dcf.cli.DcfMain.run(new String[] {"function", "call", "echo"}, tty);

        assertThat(code).isZero();
        assertThat(err.toString()).isEqualTo("Reading input from stdin; end with Ctrl-D (or use --data).\n");
        assertThat(out.toString()).isEqualTo("typed\n");
    }

    @Test
    void call_unknownFunction_exits2WithOneLine() {
        CliRunner.Result result = cli.run("x".getBytes(), "function", "call", "nope");

        assertThat(result.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).isEqualTo("Error: function nope not found\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void call_handlerError_exits2WithTheGatewaysMessage() {
        gateway.functions.put("echo", FunctionStatus.newBuilder().setSpec(FunctionSpec.newBuilder().setName("echo")).build());

        CliRunner.Result result = cli.run("fail".getBytes(), "function", "call", "echo");

        assertThat(result.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).isEqualTo("Error: ValueError: bad input\n");
    }

    @Test
    void list_printsTheSeedTableAndJson() {
        gateway.functions.put("hello-dcf", FunctionStatus.newBuilder().setSpec(FunctionSpec.newBuilder()
                .setName("hello-dcf").setDescription("hi")).setReplicas(1).setReadyReplicas(1).build());

        CliRunner.Result table = cli.run("function", "list");
        CliRunner.Result json = cli.run("function", "list", "-o", "json");
        CliRunner.Result yaml = cli.run("function", "list", "-o", "yaml");

        assertThat(table.out()).startsWith("Function    Image   Maintainer   Invocations   Replicas   Status   Description\n")
                .contains("hello-dcf   -", "Ready    hi");
        assertThat(json.out()).contains("\"functions\": [", "\"name\": \"hello-dcf\"", "\"readyReplicas\": 1");
        assertThat(yaml.out()).contains("functions:", "name: hello-dcf");
    }

    @Test
    void info_scale_logs_delete() {
        gateway.functions.put("f", FunctionStatus.newBuilder().setSpec(FunctionSpec.newBuilder().setName("f")
                .setRuntime("java")).setReplicas(1)
                .addReplicaStatuses(io.dcf.proto.v1.ReplicaStatus.newBuilder().setIndex(0).setName("f-5d8c7-x2v9q")
                        .setState("NOT_READY").setMessage("CrashLoopBackOff: back-off restarting failed container"))
                .build());

        assertThat(cli.run("function", "info", "f").out()).contains("Name:        f", "Status:      Not Ready",
                "Runtime:     java", "URL:         http://" + gateway.address() + "/function/f",
                "#0  f-5d8c7-x2v9q  NOT_READY", "message=CrashLoopBackOff");
        assertThat(cli.run("function", "scale", "f", "--replicas", "3").out()).startsWith("Scaled: f to 3 replicas");
        assertThat(cli.run("function", "logs", "f", "--tail", "5", "--prefix").out())
                .isEqualTo("[replica 0] started f\n[replica 1] tail=5\n[replica f-5d8c7-x2v9q] from a pod\n");
        assertThat(cli.run("function", "delete", "f").out()).isEqualTo("Deleted: f\n");
        CliRunner.Result again = cli.run("function", "delete", "f");
        assertThat(again.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(again.err()).isEqualTo("Error: function f not found\n");
    }

    @Test
    void deleteWithConfigFile_deletesEveryFunctionOfTheFile() {
        cli.run("function", "init", "--runtime", "python", "a");
        cli.run("function", "init", "--runtime", "python", "b");
        cli.run("function", "create");

        CliRunner.Result result = cli.run("function", "delete", "-f", "config.yaml");

        assertThat(result.out()).isEqualTo("Deleted: a\nDeleted: b\n");
        assertThat(gateway.functions).isEmpty();
    }

    @Test
    void create_withAHandlerDirTooLargeToSend_givesALocalGatewayItsPath() throws Exception {
        cli.run("function", "init", "--runtime", "python", "big-model");
        byte[] weights = new byte[DeployCommand.MAX_ZIP_BYTES + (1 << 20)];
        new java.util.Random(1).nextBytes(weights); // incompressible
        Files.write(dir.resolve("big-model/weights.bin"), weights);

        CliRunner.Result result = cli.run("function", "create", "-f", "config.yaml");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Sending: big-model as a local path");
        DeployRequest deployed = gateway.deploys.get(gateway.deploys.size() - 1);
        assertThat(deployed.getArtifact().getLocalPath()).isEqualTo(dir.resolve("big-model").toAbsolutePath().toString());
    }

    @Test
    void gatewayDown_exits2NamingTheAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        CliRunner.Result result = new CliRunner(dir, dir.resolve("home"))
                .run("function", "list", "--gateway", "127.0.0.1:" + port);

        assertThat(result.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).isEqualTo("Error: cannot reach the DCF gateway at 127.0.0.1:" + port
                + " (connection refused); start it with ./dcf up or pass --gateway\n");
    }

    private static List<String> zipEntries(DeployRequest request) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(request.getArtifact().getSourceZip().toByteArray()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}

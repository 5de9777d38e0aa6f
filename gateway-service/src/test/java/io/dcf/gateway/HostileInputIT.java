package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.dcf.proto.compat.FxGatewayGrpc;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ScaleRequest;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and mistaken input across every way in: HTTP invoke, gRPC invoke, REST
 * management, uploaded archives and local paths. Each row names the input, the status
 * it must get (an HTTP status, or a gRPC code) and a part of the message; never a 500,
 * never an empty message. The gateway runs with small limits so that bombs stay small.
 */
class HostileInputIT {

    @TempDir
    static Path tmp;

    static TestGateway gw;
    static Path home;

    /** What a probe got: an HTTP status ("400") or a gRPC code ("INVALID_ARGUMENT"), and the message. */
    record Outcome(String status, String message) {
    }

    @BeforeAll
    static void start() throws Exception {
        home = tmp.resolve("home");
        gw = TestGateway.start(home, "--dcf.gateway.max-body=1MB", "--dcf.gateway.max-replicas=8",
                "--dcf.gateway.local.max-code-size=8MB", "--dcf.gateway.local.max-code-entries=50",
                "--dcf.gateway.local.max-code-depth=8");
        gw.deployJava("hello-java", TestGateway.EXAMPLES.resolve("hello-java"));
        LocalPaths.prepare(tmp, home);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    static Stream<Arguments> hostileInputs() {
        return Stream.of(
                // HTTP invoke
                row("http: upper-case name", () -> http("POST", "/function/Hello", "x", null),
                        "400", "'Hello' is not a valid function name (expected: a DNS-1123 label"),
                row("http: underscore in name", () -> http("POST", "/function/a_b", "x", null),
                        "400", "DNS-1123 label"),
                row("http: 64-character name", () -> http("POST", "/function/" + "a".repeat(64), "x", null),
                        "400", "at most 63 characters"),
                row("http: unknown function", () -> http("POST", "/function/no-such-fn", "x", null),
                        "404", "function no-such-fn not found"),
                row("http: no function in the path", () -> http("POST", "/function/", "x", null),
                        "404", "no function named in the path"),
                row("http: encoded ../ in the name", () -> http("POST", "/function/..%2Fetc", "x", null),
                        "400", "Invalid request path"),
                row("http: body over max-body", () -> http("POST", "/function/hello-java", "x".repeat(2 << 20), null),
                        "413", "request body exceeds the limit of 1048576 bytes for function hello-java"),
                // gRPC invoke
                row("grpc: empty function name", () -> grpc(s -> s.invoke(invoke(""))),
                        "INVALID_ARGUMENT", "name: must not be empty"),
                row("grpc: ../etc as function name", () -> grpc(s -> s.invoke(invoke("../etc"))),
                        "INVALID_ARGUMENT", "'../etc' is not a valid function name (expected: a DNS-1123 label"),
                row("grpc: unknown function", () -> grpc(s -> s.invoke(invoke("no-such-fn"))),
                        "NOT_FOUND", "function no-such-fn not found"),
                row("grpc: input over max-body", () -> grpc(s -> s.invoke(invoke("hello-java").toBuilder()
                                .setInput(ByteString.copyFrom(new byte[2 << 20])).build())),
                        "RESOURCE_EXHAUSTED", "hello-java"),
                row("grpc: malformed protobuf", HostileInputIT::malformedInvoke,
                        "INVALID_ARGUMENT", "the request is not a valid protobuf message"),
                row("grpc: stream without a function name", HostileInputIT::unnamedStream,
                        "INVALID_ARGUMENT", "the first message of a stream must name the function"),
                row("grpc compat: FxGateway invoke of ../etc", () -> compatInvoke("../etc"),
                        "INVALID_ARGUMENT", "not a valid function name"),
                row("grpc: deploy an upper-case name", () -> grpc(s -> s.deploy(DeployRequest.newBuilder()
                                .setSpec(FunctionSpec.newBuilder().setName("UPPER").setRuntime("java")).build())),
                        "INVALID_ARGUMENT", "name: 'UPPER' is not a valid function name"),
                row("grpc: scale to 1000", () -> grpc(s -> s.scale(ScaleRequest.newBuilder().setName("hello-java")
                                .setReplicas(1000).build())),
                        "INVALID_ARGUMENT", "function hello-java: replicas: 1000 (expected: 0-8)"),
                // REST management
                row("rest: replicas as a string", () -> rest("POST", "/system/functions/hello-java/scale",
                                "{\"replicas\":\"abc\"}"),
                        "400", "the JSON body does not match the request message (Not an int32 value: abc)"),
                row("rest: replicas 1000", () -> rest("POST", "/system/functions/hello-java/scale",
                                "{\"replicas\":1000}"),
                        "400", "replicas: 1000 (expected: 0-8)"),
                row("rest: replicas -1", () -> rest("POST", "/system/functions/hello-java/scale",
                                "{\"replicas\":-1}"),
                        "400", "replicas: -1 (expected: 0-8)"),
                row("rest: form body instead of JSON", () -> http("POST", "/system/functions/hello-java/scale",
                                "replicas=2", "application/x-www-form-urlencoded"),
                        "400", "application/json"),
                row("rest: spec is a list", () -> rest("POST", "/system/functions", "{\"spec\":[1]}"),
                        "400", "the JSON body does not match the request message"),
                row("rest: JSON cut short", () -> rest("POST", "/system/functions", "{\"spec\":{\"name\":"),
                        "400", "the body is not well-formed JSON"),
                row("rest: newline and accent in a name come back decoded",
                        () -> deploy("{\"name\":\"bad\\nn\u00e9\",\"runtime\":\"java\"}", "{}"),
                        "400", "name: 'bad\nn\u00e9' is not a valid function name"),
                row("rest: empty runtime", () -> deploy("{\"name\":\"no-runtime\"}", zipArtifact(hello())),
                        "400", "function no-runtime: runtime: missing (expected one of: java, python, go"),
                row("rest: unknown runtime", () -> deploy(spec("cobol-fn", "cobol"), zipArtifact(hello())),
                        "400", "unknown runtime 'cobol'"),
                row("rest: no artifact", () -> deploy(spec("no-code", "python"), "{}"),
                        "400", "artifact: no code given"),
                row("rest: timeout 0s", () -> deploy("{\"name\":\"t0\",\"runtime\":\"python\",\"timeout\":\"0s\"}",
                                zipArtifact(hello())),
                        "400", "function t0: timeout: 0s (expected: > 0)"),
                row("rest: negative max body", () -> deploy("{\"name\":\"mb\",\"runtime\":\"python\","
                                + "\"maxBodyBytes\":-5}", zipArtifact(hello())),
                        "400", "function mb: max_body: -5 (expected: >= 0)"),
                row("rest: get an invalid name", () -> http("GET", "/system/functions/Bad_Name", null, null),
                        "400", "'Bad_Name' is not a valid function name"),
                row("rest: get an unknown function", () -> http("GET", "/system/functions/no-such-fn", null, null),
                        "404", "function no-such-fn not found"),
                row("rest: delete an unknown function", () -> http("DELETE", "/system/functions/no-such-fn", null,
                                null),
                        "404", "function no-such-fn not found"),
                // Uploaded archives
                row("zip: entry ../../escape.py", () -> deployZip("zip-escape",
                                Zips.of("../../escape.py", "x")),
                        "400", "source archive entry '../../escape.py' points outside the function directory"),
                row("zip: symbolic link entry", () -> deployZip("zip-link", Zips.symlink("passwd", "/etc/passwd")),
                        "400", "source archive entry 'passwd' is a symbolic link"),
                row("zip: truncated", () -> deployZip("zip-cut", Zips.truncated(Zips.of(Map.of(
                                "handler.py", "x".repeat(5000), "b.py", "y".repeat(5000))), 0.6)),
                        "400", "source archive is not a zip, or is truncated"),
                row("zip: bomb past the budget", () -> deployZip("zip-bomb", Zips.bomb("zeros.bin", 9 << 20)),
                        "400", "function zip-bomb: source archive expands to more than 8388608 bytes"),
                row("zip: too many entries", () -> deployZip("zip-many", Zips.manyEntries(51)),
                        "400", "source archive has 51 entries (expected: at most 50)"),
                row("zip: nested too deep", () -> deployZip("zip-deep", Zips.of("a/b/c/d/e/f/g/h/i/x.py", "x")),
                        "400", "is nested more than 8 directories deep"),
                row("zip: garbage bytes", () -> deployZip("zip-junk", "not a zip at all".getBytes(
                                StandardCharsets.UTF_8)),
                        "400", "source archive is not a zip"),
                row("zip: no entries", () -> deployZip("zip-empty", emptyZip()),
                        "400", "function zip-empty: source archive is empty"),
                row("zip: file then directory of the same name", () -> deployZip("zip-clash", clash()),
                        "400", "entry 'handler.py/x' conflicts with a file"),
                row("zip: no handler.py", () -> deployZip("zip-nohandler", Zips.of("other.py", "x")),
                        "400", "handler.file: 'handler.py' is not in the function's directory"),
                // Local paths
                row("local_path: relative", () -> deployPath("lp-relative", "examples/hello-java"),
                        "INVALID_ARGUMENT", "artifact.local_path: 'examples/hello-java' must be absolute"),
                row("local_path: DCF_HOME itself", () -> deployPath("lp-home", home.toString()),
                        "INVALID_ARGUMENT", "is DCF_HOME"),
                row("local_path: inside DCF_HOME", () -> deployPath("lp-inside", home.resolve("functions")
                                .toString()),
                        "INVALID_ARGUMENT", "is inside DCF_HOME"),
                row("local_path: a parent of DCF_HOME", () -> deployPath("lp-parent", tmp.toString()),
                        "INVALID_ARGUMENT", "contains DCF_HOME"),
                row("local_path: a link to DCF_HOME", () -> deployPath("lp-homelink", LocalPaths.homeLink.toString()),
                        "INVALID_ARGUMENT", "is DCF_HOME"),
                row("local_path: holds a symlink to DCF_HOME/.lock", () -> deployPath("lp-locklink",
                                LocalPaths.lockLink.toString()),
                        "INVALID_ARGUMENT", "is a symbolic link to '" + home.resolve(".lock") + "' outside the function's directory"),
                row("local_path: holds a hard link to DCF_HOME/.lock", () -> deployPath("lp-hardlink",
                                LocalPaths.hardLink.toString()),
                        "INVALID_ARGUMENT", "is a hard link to DCF_HOME's lock file"),
                row("local_path: holds a symlink to /etc/passwd", () -> deployPath("lp-passwd",
                                LocalPaths.absoluteLink.toString()),
                        "INVALID_ARGUMENT", "is a symbolic link to '/etc/passwd' outside the function's directory"),
                row("local_path: holds a dangling link", () -> deployPath("lp-dangling",
                                LocalPaths.danglingLink.toString()),
                        "INVALID_ARGUMENT", "which does not exist"),
                row("local_path: holds a named pipe", () -> deployPath("lp-fifo", LocalPaths.fifo.toString()),
                        "INVALID_ARGUMENT", "is not a regular file, directory or symbolic link"),
                row("local_path: too many files", () -> deployPath("lp-many", LocalPaths.many.toString()),
                        "INVALID_ARGUMENT", "holds more than 50 files and directories"),
                row("local_path: nested too deep", () -> deployPath("lp-deep", LocalPaths.deep.toString()),
                        "INVALID_ARGUMENT", "is nested more than 8 directories deep"),
                row("local_path: larger than the budget", () -> deployPath("lp-big", LocalPaths.big.toString()),
                        "INVALID_ARGUMENT", "expands to more than 8388608 bytes"),
                row("local_path: does not exist", () -> deployPath("lp-missing", "/no/such/dir"),
                        "INVALID_ARGUMENT", "'/no/such/dir' is neither a directory nor a .jar file"),
                row("local_path: a file that is not a jar", () -> deployPath("lp-text",
                                LocalPaths.textFile.toString()),
                        "INVALID_ARGUMENT", "is neither a directory nor a .jar file"),
                row("local_path: NUL in the path", () -> deployPath("lp-nul", "/tmp/a\u0000b"),
                        "INVALID_ARGUMENT", "is not a valid path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void hostileInput_getsItsStatusAndAMessageSayingWhy(String input, Callable<Outcome> probe, String status,
                                                        String message) throws Exception {
        Outcome outcome = probe.call();
        assertThat(outcome.status()).as("%s: %s", input, outcome).isEqualTo(status);
        assertThat(outcome.message()).as(input).contains(message).doesNotContain("%0A", "%C3", "Exception");
    }

    @Test
    void homeLock_survivesLocalPathsThatReachForIt_andASecondGatewayIsRefused() throws Exception {
        for (Path hostile : List.of(LocalPaths.lockLink, LocalPaths.hardLink, LocalPaths.homeLink, home)) {
            assertThat(deployPath("lock-probe", hostile.toString()).status()).isEqualTo("INVALID_ARGUMENT");
        }
        // Another process asks for the same POSIX lock: it must still be held by the gateway.
        Process probe = new ProcessBuilder(System.getenv().getOrDefault("DCF_PYTHON", "/usr/bin/python3"), "-c",
                "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'a')\n"
                + "try:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print('free')\n"
                + "except OSError:\n    print('held')\n", home.resolve(".lock").toString())
                .redirectErrorStream(true).start();
        String answer = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(answer).isEqualTo("held");

        // A second gateway on the same home, as `dcf up` would start it, is refused.
        Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/dcf-gateway.jar").toAbsolutePath().toString(), "--dcf.gateway.port=0",
                "--dcf.gateway.home=" + home, "--dcf.gateway.local.watcher-jar=" + TestGateway.WATCHER_JAR,
                "--dcf.gateway.local.runtimes-dir=" + TestGateway.RUNTIMES)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("second-gateway.log").toFile()).start();
        second.getOutputStream().close();
        try {
            // Before the fix the second gateway started and served: it never exits by itself.
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the second gateway exits").isTrue();
            String out = Files.readString(tmp.resolve("second-gateway.log"));
            assertThat(second.exitValue()).as(out).isNotZero();
            assertThat(out).contains("another DCF gateway is using DCF_HOME " + home);
        } finally {
            second.descendants().forEach(ProcessHandle::destroyForcibly);
            second.destroyForcibly();
        }
        assertThat(http("POST", "/function/hello-java", "still mine", null)).isEqualTo(new Outcome("200", "still mine"));
    }

    private static Arguments row(String input, Callable<Outcome> probe, String status, String message) {
        return Arguments.of(input, probe, status, message);
    }

    // --- probes -------------------------------------------------------------------------------

    static Outcome http(String method, String path, String body, String contentType) {
        HttpResponse<byte[]> r = gw.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                contentType);
        return new Outcome(Integer.toString(r.statusCode()), JsonText.message(r.body()));
    }

    static Outcome rest(String method, String path, String json) {
        return http(method, path, json, "application/json");
    }

    static Outcome deploy(String specJson, String artifactJson) {
        return rest("POST", "/system/functions", "{\"spec\":" + specJson + ",\"artifact\":" + artifactJson + "}");
    }

    static String spec(String name, String runtime) {
        return "{\"name\":\"" + name + "\",\"runtime\":\"" + runtime + "\"}";
    }

    static String zipArtifact(byte[] zip) {
        return "{\"sourceZip\":\"" + Base64.getEncoder().encodeToString(zip) + "\"}";
    }

    static Outcome deployZip(String name, byte[] zip) {
        return deploy(spec(name, "python"), zipArtifact(zip));
    }

    static Outcome deployPath(String name, String path) {
        return grpc(s -> s.deploy(DeployRequest.newBuilder()
                .setSpec(FunctionSpec.newBuilder().setName(name).setRuntime("python")
                        .setHandler(HandlerRef.newBuilder().setFile("handler.py").setName("Handler")))
                .setArtifact(Artifact.newBuilder().setLocalPath(path)).build()));
    }

    static Outcome grpc(java.util.function.Consumer<GatewayGrpc.GatewayBlockingStub> call) {
        try {
            call.accept(gw.gateway.withDeadlineAfter(60, TimeUnit.SECONDS));
            return new Outcome("OK", "");
        } catch (StatusRuntimeException e) {
            return new Outcome(e.getStatus().getCode().name(), String.valueOf(e.getStatus().getDescription()));
        }
    }

    static InvokeRequest invoke(String function) {
        return InvokeRequest.newBuilder().setFunction(function).setInput(ByteString.copyFromUtf8("x")).build();
    }

    static Outcome compatInvoke(String service) {
        try {
            FxGatewayGrpc.newBlockingStub(gw.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .invoke(InvokeServiceRequest.newBuilder().setService(service).build());
            return new Outcome("OK", "");
        } catch (StatusRuntimeException e) {
            return new Outcome(e.getStatus().getCode().name(), String.valueOf(e.getStatus().getDescription()));
        }
    }

    /** Bytes that are not an InvokeRequest: field 1 with a length running past the end. */
    static Outcome malformedInvoke() {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("dcf.v1.Gateway/Invoke")
                .setRequestMarshaller(RawBytes.INSTANCE).setResponseMarshaller(RawBytes.INSTANCE).build();
        try {
            ClientCalls.blockingUnaryCall(gw.channel, method,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                    new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x01, 'x'});
            return new Outcome("OK", "");
        } catch (StatusRuntimeException e) {
            return new Outcome(e.getStatus().getCode().name(), String.valueOf(e.getStatus().getDescription()));
        }
    }

    static Outcome unnamedStream() {
        try {
            gw.invokes(List.of(invoke("")));
            return new Outcome("OK", "");
        } catch (java.util.concurrent.ExecutionException e) {
            StatusRuntimeException sre = (StatusRuntimeException) e.getCause();
            return new Outcome(sre.getStatus().getCode().name(), String.valueOf(sre.getStatus().getDescription()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- inputs -------------------------------------------------------------------------------

    static byte[] hello() {
        return Zips.of("handler.py", "def Handler(req):\n    return req.input\n");
    }

    /** A zip with no entries: only the 22-byte end-of-central-directory record. */
    static byte[] emptyZip() {
        byte[] zip = new byte[22];
        zip[0] = 'P';
        zip[1] = 'K';
        zip[2] = 5;
        zip[3] = 6;
        return zip;
    }

    static byte[] clash() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("handler.py", "x");
        entries.put("handler.py/x", "y");
        return Zips.of(entries);
    }

    /** A marshaller of raw bytes, to send what no generated stub would. */
    enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Directories on disk for the local_path rows. */
    static final class LocalPaths {
        static Path homeLink;
        static Path lockLink;
        static Path hardLink;
        static Path absoluteLink;
        static Path danglingLink;
        static Path fifo;
        static Path many;
        static Path deep;
        static Path big;
        static Path textFile;

        static void prepare(Path tmp, Path home) throws Exception {
            Path root = Files.createDirectories(tmp.resolve("paths"));
            homeLink = Files.createSymbolicLink(root.resolve("home-link"), home);
            lockLink = withHandler(root, "lock-link");
            Files.createSymbolicLink(lockLink.resolve("lock"), home.resolve(".lock"));
            hardLink = withHandler(root, "hard-link");
            Files.createLink(hardLink.resolve("lock"), home.resolve(".lock"));
            absoluteLink = withHandler(root, "absolute-link");
            Files.createSymbolicLink(absoluteLink.resolve("passwd"), Path.of("/etc/passwd"));
            danglingLink = withHandler(root, "dangling-link");
            Files.createSymbolicLink(danglingLink.resolve("gone"), Path.of("no-such-file"));
            fifo = withHandler(root, "fifo");
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.resolve("pipe").toString()).inheritIO().start();
            assertThat(mkfifo.waitFor()).isZero();
            many = withHandler(root, "many");
            for (int i = 0; i < 60; i++) {
                Files.writeString(many.resolve("f" + i + ".py"), "x");
            }
            deep = withHandler(root, "deep");
            Files.createDirectories(deep.resolve("a/b/c/d/e/f/g/h/i"));
            big = withHandler(root, "big");
            Files.write(big.resolve("zeros.bin"), new byte[9 << 20]);
            textFile = Files.writeString(root.resolve("notes.txt"), "not code");
        }

        private static Path withHandler(Path root, String name) throws IOException {
            Path dir = Files.createDirectories(root.resolve(name));
            Files.writeString(dir.resolve("handler.py"), "def Handler(req):\n    return req.input\n");
            return dir;
        }
    }

    /** The "message" of a JSON error body, unescaped; the whole body when it is not one. */
    static final class JsonText {
        static String message(byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8);
            int start = text.indexOf("\"message\":\"");
            if (start < 0) {
                return text;
            }
            StringBuilder out = new StringBuilder();
            for (int i = start + 11; i < text.length() && text.charAt(i) != '"'; i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    char n = text.charAt(++i);
                    out.append(switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> n;
                    });
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}

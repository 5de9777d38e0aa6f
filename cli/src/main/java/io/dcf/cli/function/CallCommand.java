package io.dcf.cli.function;

import com.google.protobuf.ByteString;
import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dcf function call NAME}: one invocation, input from stdin or --data, output raw on stdout. */
@Command(name = "call", aliases = "invoke", mixinStandardHelpOptions = true,
        description = "Call a function once. The input is standard input (or --data / --data-file); the "
                + "output is written to standard output unchanged (binary-safe).",
        footerHeading = "%n",
        footer = {"Examples:",
            "  echo \"Hello, DCF!\" | dcf function call hello-dcf",
            "  dcf function call hello-dcf --data 'Hello, DCF!'",
            "  dcf function call resize --data-file cat.jpg --content-type image/jpeg > small.jpg",
            "  dcf function call slow --timeout 2m --header x-user=alice"})
final class CallCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The function to call.")
    private String name;

    @Option(names = {"-d", "--data"}, paramLabel = "TEXT", description = "The input as text (UTF-8), instead of standard input.")
    private String data;

    @Option(names = "--data-file", paramLabel = "FILE", description = "Read the input from FILE, instead of standard input.")
    private String dataFile;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for the output, e.g. 500ms, 30s, 2m. Default: ${DEFAULT-VALUE}.")
    private String timeout;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "The input's media type, e.g. application/json.")
    private String contentType;

    @Option(names = {"-H", "--header"}, paramLabel = "KEY=VALUE", description = "A header passed to the handler (repeatable).")
    private List<String> headers = List.of();

    @Option(names = "--path", paramLabel = "PATH", description = "A sub-path, as if called at /function/NAME/PATH.")
    private String path;

    @Mixin
    private GatewayOptions gateway;

    CallCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        Duration deadline = Args.duration(timeout, "--timeout");
        InvokeRequest.Builder request = InvokeRequest.newBuilder()
                .setFunction(name)
                .setInput(ByteString.copyFrom(input()))
                .putAllHeaders(headers());
        if (contentType != null) {
            request.setContentType(contentType);
        }
        if (path != null) {
            request.setPath(path.startsWith("/") ? path : "/" + path);
        }
        InvokeReply reply;
        try (GatewayClient client = gateway.connect(cli, null)) {
            reply = client.call(name, deadline, stub -> stub.invoke(request.build()));
        }
        reply.getOutput().writeTo(cli.out());
        cli.out().flush();
        return ExitCode.OK;
    }

    private byte[] input() throws IOException {
        if (data != null && dataFile != null) {
            throw CliException.usage("use either --data or --data-file, not both");
        }
        if (data != null) {
            return data.getBytes(StandardCharsets.UTF_8);
        }
        if (dataFile != null) {
            return dataFile.equals("-") ? cli.in().readAllBytes() : Files.readAllBytes(cli.resolve(dataFile));
        }
        if (cli.stdinIsTty()) {
            cli.err().println("Reading input from stdin; end with Ctrl-D (or use --data).");
            cli.err().flush();
        }
        return cli.in().readAllBytes();
    }

    private Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String header : headers) {
            int eq = header.indexOf('=');
            if (eq <= 0) {
                throw CliException.usage("--header: '" + header + "' is not KEY=VALUE");
            }
            map.put(header.substring(0, eq), header.substring(eq + 1));
        }
        return map;
    }
}

package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link RegistryProxyMain} as an operator starts it: a bad setting stops it at once, one line naming it, no stack trace. */
class RegistryProxyMainIT {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            DCF_PROXY_UPSTREAM        |                   | DCF_PROXY_UPSTREAM is not set
            DCF_PROXY_CACHE_MAX_BYTES | 10GB              | DCF_PROXY_CACHE_MAX_BYTES: '10GB' (expected: bytes, or a number with Ki, Mi, Gi or Ti
            DCF_PROXY_BIND_ADDRESS    | not an address!   | DCF_PROXY_BIND_ADDRESS: 'not an address!'
            DCF_PROXY_CREDENTIALS_FILE| /nonexistent.json | DCF_PROXY_CREDENTIALS_FILE: /nonexistent.json is not a readable file
            """)
    void badSetting_exits2_withOneLineNamingIt(String variable, String value, String message) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RegistryProxyMain.class.getName())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("DCF_PROXY_"));
        env.put("DCF_PROXY_UPSTREAM", "http://127.0.0.1:1");
        env.put("DCF_PROXY_PORT", "0");
        env.put(variable, value == null ? "" : value);
        Process process = pb.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("exits by itself").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("registry-proxy cannot start: " + message).doesNotContain("\tat ")
                .doesNotContain("Exception");
    }
}

package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.TestSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.proto.v1.FunctionSpec;
import io.grpc.Status;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Specs the API server would refuse (or that cannot run) are refused by the builders first,
 * with the gateway's error code and a message naming the function, the field and the rule.
 */
class DeploymentSpecsInvalidTest {

    private static final KubernetesSettings SETTINGS = KubernetesSettings.defaults("dcf-fn");

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                row("{name: fn}", Status.Code.FAILED_PRECONDITION,
                        "function fn: image: missing; the Kubernetes backend runs a function from its image"),
                row("{name: fn, image: ' '}", Status.Code.FAILED_PRECONDITION, "function fn: image: missing"),
                row("{name: fn, image: 'img: 1'}", Status.Code.INVALID_ARGUMENT,
                        "function fn: image: 'img: 1' contains white space"),
                row("{name: 1fn, image: img}", Status.Code.INVALID_ARGUMENT,
                        "name: '1fn' cannot be a function name on Kubernetes (expected: lower case letters, digits"
                                + " and '-', starting with a letter"),
                row("{name: fn, image: img, replicas: -1}", Status.Code.INVALID_ARGUMENT,
                        "function fn: replicas: -1 (expected: >= 0)"),
                row("{name: fn, image: img, labels: {'bad key': x}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: labels: key 'bad key' is not a valid label key (expected: an optional DNS"
                                + " subdomain prefix"),
                row("{name: fn, image: img, labels: {'Example.com/team': x}}", Status.Code.INVALID_ARGUMENT,
                        "labels: key 'Example.com/team' is not a valid label key"),
                row("{name: fn, image: img, labels: {team: '" + "x".repeat(64) + "'}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: labels: team: '" + "x".repeat(64) + "' is not a valid label value (expected:"
                                + " empty, or at most 63"),
                row("{name: fn, image: img, labels: {team: 'a b'}}", Status.Code.INVALID_ARGUMENT,
                        "labels: team: 'a b' is not a valid label value"),
                row("{name: fn, image: img, labels: {app.kubernetes.io/managed-by: me}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: labels: app.kubernetes.io/managed-by is set by the gateway and cannot be given"),
                row("{name: fn, image: img, labels: {app.kubernetes.io/name: other}}", Status.Code.INVALID_ARGUMENT,
                        "labels: app.kubernetes.io/name is set by the gateway"),
                row("{name: fn, image: img, annotations: {dcf.io/generation: '9'}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: annotations: dcf.io/generation is set by the gateway and cannot be given"),
                row("{name: fn, image: img, annotations: {a/b/c: x}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: annotations: key 'a/b/c' is not a valid annotation key"),
                row("{name: fn, image: img, annotations: {big: '" + "x".repeat(300_000) + "'}}",
                        Status.Code.INVALID_ARGUMENT, "function fn: the function's annotations, description and"
                                + " settings take"),
                row("{name: fn, image: img, environment: {'MY VAR': x}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: environment: 'MY VAR' is not a valid variable name"),
                row("{name: fn, image: img, environment: {'1X': x}}", Status.Code.INVALID_ARGUMENT,
                        "environment: '1X' is not a valid variable name"),
                row("{name: fn, image: img, secrets: [Db_Password]}", Status.Code.INVALID_ARGUMENT,
                        "function fn: secrets: 'Db_Password' is not a valid Secret name (expected: a DNS-1123"
                                + " subdomain"),
                row("{name: fn, image: img, constraints: [disk]}", Status.Code.INVALID_ARGUMENT,
                        "function fn: constraints: 'disk' (expected: key=value, a node label"),
                row("{name: fn, image: img, constraints: ['disk!=ssd']}", Status.Code.INVALID_ARGUMENT,
                        "constraints: 'disk!=ssd' (expected: key=value"),
                row("{name: fn, image: img, constraints: ['disk=']}", Status.Code.INVALID_ARGUMENT,
                        "constraints: 'disk=' (expected: key=value"),
                row("{name: fn, image: img, constraints: ['a=b=c']}", Status.Code.INVALID_ARGUMENT,
                        "constraints: 'a=b=c' (expected: key=value"),
                row("{name: fn, image: img, constraints: ['disk=ssd', 'disk == hdd']}", Status.Code.INVALID_ARGUMENT,
                        "function fn: constraints: disk is given twice, as 'ssd' and 'hdd'"),
                row("{name: fn, image: img, constraints: ['bad key/x=1']}", Status.Code.INVALID_ARGUMENT,
                        "constraints: 'bad key/x=1' (expected: key=value"),
                row("{name: fn, image: img, constraints: ['-disk=ssd']}", Status.Code.INVALID_ARGUMENT,
                        "constraints: '-disk=ssd': '-disk' is not a valid label key"),
                row("{name: fn, image: img, constraints: ['disk=s$d']}", Status.Code.INVALID_ARGUMENT,
                        "constraints: 'disk=s$d': 's$d' is not a valid label value"),
                row("{name: fn, image: img, limits: {memory: 1GB}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: limits.memory: '1GB' is not a Kubernetes quantity (expected: a number with an"
                                + " optional suffix, such as 500m, 2, 512Mi or 1G)"),
                row("{name: fn, image: img, limits: {cpu: lots}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: limits.cpu: 'lots' is not a Kubernetes quantity"),
                row("{name: fn, image: img, requests: {cpu: '-1'}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: requests.cpu: '-1' (expected: >= 0)"),
                row("{name: fn, image: img, limits: {memory: 1Gi}, requests: {memory: 2Gi}}",
                        Status.Code.INVALID_ARGUMENT,
                        "function fn: requests.memory: 2Gi exceeds limits.memory 1Gi (expected: a request at most"
                                + " its limit)"),
                row("{name: fn, image: img, limits: {cpu: 500m}, requests: {cpu: '1'}}", Status.Code.INVALID_ARGUMENT,
                        "requests.cpu: 1 exceeds limits.cpu 500m"),
                row("{name: fn, image: img, limits: {gpu: '0.5'}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: limits.gpu: '0.5' (expected: a whole number of GPUs, such as 1)"),
                row("{name: fn, image: img, limits: {gpu: '1'}, requests: {gpu: '2'}}", Status.Code.INVALID_ARGUMENT,
                        "function fn: requests.gpu: 2 differs from limits.gpu 1 (expected: the same number, or only"
                                + " limits.gpu)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidSpecs")
    void deployment_refusesWithTheCodeAndAMessageNamingTheField(String yaml, FunctionSpec spec, Status.Code code,
                                                                  String message) {
        DcfException e = catchThrowableOfType(DcfException.class, () -> DeploymentSpecs.deployment(spec, SETTINGS));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(message).as("names the function")
                .containsAnyOf("function fn: ", "name: '1fn'");
        assertThat(ErrorMapping.toStatus(e).getCode()).isEqualTo(code);
    }

    private static Arguments row(String yaml, Status.Code code, String message) {
        String shown = yaml.length() > 120 ? yaml.substring(0, 117) + "..." : yaml;
        return Arguments.of(shown, spec(yaml), code, message);
    }
}

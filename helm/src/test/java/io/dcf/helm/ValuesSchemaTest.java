package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json refuses bad values at install time, naming the value. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            service.type                 | Ingress  | service.type
            service.type                 | nodeport | service.type
            replicaCount                 | -1       | replicaCount
            service.port                 | 0        | service.port
            service.port                 | 70000    | service.port
            service.nodePort             | 65536    | service.nodePort
            service.nodePort             | abc      | service.nodePort
            image.pullPolicy             | Sometimes| image.pullPolicy
            functionNamespace.name       | Bad_Name | functionNamespace.name
            functionNamespace.create     | maybe    | functionNamespace.create
            podDisruptionBudget.maxUnavailable | -2 | podDisruptionBudget.maxUnavailable
            probes.liveness.periodSeconds| 0        | probes.liveness.periodSeconds
            metrics.path                 | metrics  | metrics.path
            servce.type                  | NodePort | servce
            """)
    void badValue_isRefused_namingIt(String key, String value, String named) {
        assertThatThrownBy(() -> Chart.template(Map.of(key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            gateway: {allowedHosts: ['a b']}          | gateway.allowedHosts
            gateway: {allowedHosts: 'a,b'}            | gateway.allowedHosts
            service: {loadBalancerSourceRanges: x}    | service.loadBalancerSourceRanges
            imagePullSecrets: [regcred]               | imagePullSecrets
            hostAliases: [{ip: 10.0.0.5}]             | hostAliases
            """)
    void badStructure_isRefused_namingIt(String valuesYaml, String named) {
        assertThatThrownBy(() -> Chart.templateYaml(valuesYaml))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            service.type                       | LoadBalancer
            service.nodePort                   | 30000
            replicaCount                       | 0
            podDisruptionBudget.maxUnavailable | 25%
            functionNamespace.name             | fn-2
            """)
    void goodValue_isAccepted(String key, String value) {
        assertThat(Chart.template(Map.of(key, value)).one(V1Deployment.class)).isNotNull();
    }

    @Test
    void anyHost_isAccepted() {
        assertThat(Chart.templateYaml("gateway: {allowedHosts: ['*', gw.example.com]}").one(V1Deployment.class))
                .isNotNull();
    }
}

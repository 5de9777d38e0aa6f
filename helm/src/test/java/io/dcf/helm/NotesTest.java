package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What `helm install` tells the user: where the token is, the address, how to call a function. */
class NotesTest {

    @Test
    void clusterIp_tokenPortForwardCurlAndCli() {
        String notes = Chart.notes(Map.of());

        assertThat(notes)
                .contains("kubectl get secret -n dcf-system dcf-token -o jsonpath='{.data.token}' | base64 -d > dcf-token")
                .contains("In the cluster: dcf-gateway.dcf-system:31113")
                .contains("kubectl port-forward -n dcf-system svc/dcf-gateway 31113:31113")
                .contains("curl -H \"Authorization: Bearer $(cat dcf-token)\" http://$GATEWAY/system/functions")
                .contains("curl --data 'hello' http://$GATEWAY/function/NAME")
                .contains("dcf login --gateway $GATEWAY --token-file dcf-token")
                .contains("dcf function call NAME --data hello --gateway $GATEWAY")
                .contains("Functions run in namespace dcf-fn.")
                .doesNotContain("NODE_PORT", "https://", "--ca");
    }

    @Test
    void nodePort_findsThePortAndAsksForAllowedHosts() {
        String notes = Chart.notes(Map.of("service.type", "NodePort"));

        assertThat(notes).contains("export NODE_PORT=$(kubectl get svc -n dcf-system dcf-gateway -o jsonpath='{.spec.ports[0].nodePort}')")
                .contains("gateway.allowedHosts")
                .doesNotContain("port-forward");
    }

    @Test
    void loadBalancer_waitsForTheExternalIp() {
        assertThat(Chart.notes(Map.of("service.type", "LoadBalancer")))
                .contains("kubectl get svc -n dcf-system dcf-gateway -w")
                .contains("{.status.loadBalancer.ingress[0].ip}")
                .contains("gateway.allowedHosts");
    }

    @Test
    void existingSecretAndTls_nameTheSecretsKeyAndHttps() {
        String notes = Chart.notes(Map.of("auth.existingSecret", "my-token", "auth.existingSecretKey", "t",
                "tls.secretName", "gateway-tls"));

        assertThat(notes).contains("kubectl get secret -n dcf-system my-token -o jsonpath='{.data.t}'")
                .contains("https://$GATEWAY/system/functions")
                .contains("dcf login --gateway $GATEWAY --token-file dcf-token --ca ca.crt");
    }
}

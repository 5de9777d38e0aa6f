package io.dcf.cli.function;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionTableTest {

    @Test
    void emptyList_isTheHeaderOnly() {
        assertThat(FunctionStatuses.table(List.of()))
                .isEqualTo("Function   Image   Maintainer   Invocations   Replicas   Status   Description\n");
    }

    @Test
    void rows_areAlignedWithSeedColumnsAndStatusWords() {
        FunctionStatus ready = FunctionStatus.newBuilder()
                .setSpec(FunctionSpec.newBuilder().setName("hello-dcf").setImage("keti/hello-dcf")
                        .setMaintainer("KETI").setDescription("This is Hello dcf."))
                .setReplicas(1).setReadyReplicas(1).setInvocationCount(12).build();
        FunctionStatus starting = FunctionStatus.newBuilder()
                .setSpec(FunctionSpec.newBuilder().setName("b").setDescription("line\nbreak"))
                .setReplicas(2).build();

        assertThat(FunctionStatuses.table(List.of(ready, starting))).isEqualTo("""
                Function    Image            Maintainer   Invocations   Replicas   Status      Description
                hello-dcf   keti/hello-dcf   KETI         12            1          Ready       This is Hello dcf.
                b           -                             0             2          Not Ready   line break
                """);
    }
}

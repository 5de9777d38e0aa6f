package io.dcf.gateway.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionStoreTest {

    @TempDir
    Path home;

    @Test
    void saveThenLoad_roundTrips() {
        FunctionStore store = new FunctionStore(home);
        FunctionStatus record = FunctionStatus.newBuilder()
                .setSpec(FunctionSpec.newBuilder().setName("echo").setRuntime("java").putEnvironment("A", "1"))
                .setReplicas(3).setGeneration(2).build();
        store.save(record);
        store.save(record.toBuilder().setReplicas(4).build());
        assertThat(store.loadAll()).containsExactly(record.toBuilder().setReplicas(4).build());
    }

    @Test
    void load_removesInterruptedDeploys() throws IOException {
        FunctionStore store = new FunctionStore(home);
        Files.createDirectories(store.generationDir("half", 1));
        assertThat(store.loadAll()).isEmpty();
        assertThat(store.functionDir("half")).doesNotExist();
    }

    @Test
    void delete_removesEverything() throws IOException {
        FunctionStore store = new FunctionStore(home);
        store.save(FunctionStatus.newBuilder().setSpec(FunctionSpec.newBuilder().setName("gone")).build());
        Files.createDirectories(store.generationDir("gone", 1).resolve("src"));
        store.delete("gone");
        assertThat(store.functionDir("gone")).doesNotExist();
        assertThat(store.loadAll()).isEmpty();
    }
}

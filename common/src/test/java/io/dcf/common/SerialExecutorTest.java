package io.dcf.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void execute_onAPoolOfThreads_runsTasksOneAtATimeInTheOrderGiven() {
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();

        for (int i = 0; i < 500; i++) {
            int n = i;
            serial.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.yield();
                ran.add(n);
                running.decrementAndGet();
            });
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> ran.size() == 500);
        assertThat(ran).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void execute_aTaskThatThrows_doesNotStopTheNextOnes() {
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new CopyOnWriteArrayList<>();

        serial.execute(() -> ran.add("first"));
        serial.execute(() -> {
            throw new IllegalStateException("broken task");
        });
        serial.execute(() -> ran.add("third"));

        await().atMost(Duration.ofSeconds(60)).until(() -> ran.size() == 2);
        assertThat(ran).containsExactly("first", "third");
    }
}

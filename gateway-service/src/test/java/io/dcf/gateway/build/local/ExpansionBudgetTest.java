package io.dcf.gateway.build.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.gateway.Zips;
import io.dcf.gateway.error.DcfException;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpansionBudgetTest {

    @TempDir
    Path tmp;

    @Test
    void concurrentExpansions_shareOneBudget() throws Exception {
        // Each archive fits the budget alone (3 MiB of 4 MiB); three at once do not.
        ExpansionBudget budget = new ExpansionBudget(4 << 20);
        byte[] zip = Zips.bomb("zeros.bin", 3 << 20);
        CountDownLatch allReserved = new CountDownLatch(3);
        CountDownLatch allTried = new CountDownLatch(3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Throwable>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path target = tmp.resolve("out" + i);
                results.add(pool.submit(() -> {
                    try (ExpansionBudget.Reservation r = budget.reserve("fn" + target.getFileName())) {
                        r.add(1); // every deploy holds part of the budget before any finishes
                        allReserved.countDown();
                        allReserved.await(30, TimeUnit.SECONDS);
                        try {
                            Unzip.extract("fn", zip, target, CodeLimits.DEFAULT, r);
                            return null;
                        } catch (RuntimeException e) {
                            return e;
                        } finally {
                            allTried.countDown(); // no deploy gives its bytes back before every one has tried
                            allTried.await(30, TimeUnit.SECONDS);
                        }
                    }
                }));
            }
            List<Throwable> errors = new ArrayList<>();
            for (Future<Throwable> f : results) {
                Throwable t = f.get(60, TimeUnit.SECONDS);
                if (t != null) {
                    errors.add(t);
                }
            }
            assertThat(errors).as("at most one 3 MiB expansion fits a 4 MiB budget").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(t -> assertThat(t).isInstanceOfSatisfying(DcfException.class, e -> {
                        assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getMessage()).contains("other deploys in progress are using")
                                .contains("retry when they finish");
                    }));
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget.used()).as("every reservation is given back").isZero();
    }

    @Test
    void reservation_isGivenBackSoTheNextDeployFits() {
        ExpansionBudget budget = new ExpansionBudget(100);
        try (ExpansionBudget.Reservation first = budget.reserve("a")) {
            first.add(80);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try (ExpansionBudget.Reservation r = budget.reserve("b")) {
                    r.add(30);
                }
            });
            assertThat(second).failsWithin(java.time.Duration.ofSeconds(10));
        }
        try (ExpansionBudget.Reservation r = budget.reserve("b")) {
            r.add(30);
            assertThat(budget.used()).isEqualTo(30);
        }
    }
}

package io.payledger.systemtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.systemtest.SharedSystemStack;
import io.payledger.systemtest.SystemStack;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load generator against the shared stack, briefly: its summary must account for every payment it sent, and
 * find each accepted one's single final outcome on the topics.
 */
class LoadRunTest {

    private static SystemStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedSystemStack.get();
    }

    @Test
    void httpPaymentsSentInBatchesAreEachAnsweredAndFoundFinalExactlyOnce() {
        // Given 40 HTTP payments a second for 10 s, gathered eight a request into POST /v1/payments/batch
        LoadOptions options = LoadOptions.defaults().withRate(40, Duration.ofSeconds(10))
                .withTraffic(0, 50, 5, 0.25).withHttpBatch(8).withDrainTimeout(Duration.ofSeconds(30));

        // When the generator runs them and drains
        LoadSummary summary = LoadGenerator.run(stack, options);
        System.out.println("LOAD " + summary.toJson());

        // Then each of the 400 got its own 202 from its batch's results
        assertThat(summary.sent()).isEqualTo(400);
        assertThat(summary.refusedByStatus()).isEmpty();
        assertThat(summary.uncertain()).isZero();
        assertThat(summary.acceptedHttp()).isEqualTo(400);
        assertThat(summary.httpAnswer().count()).isEqualTo(400);
        assertThat(summary.initiated()).isEqualTo(400);

        // And each was made once and posted once
        assertThat(summary.lost()).isZero();
        assertThat(summary.duplicates()).isZero();
        assertThat(summary.duplicatePayments()).isZero();
        assertThat(summary.finalByStatus().get("POSTED")).isEqualTo(400);
    }

    @Test
    void everyAcceptedPaymentOfAShortMixedRunIsFoundFinalExactlyOnceAndTheSummaryAddsUp() {
        // Given 50 funded accounts, 5 of them hot and in a quarter of the payments, and 40 payments a second for
        // 20 s, half of them Kafka commands
        LoadOptions options = LoadOptions.defaults().withRate(40, Duration.ofSeconds(20))
                .withTraffic(0.5, 50, 5, 0.25).withDrainTimeout(Duration.ofSeconds(30));

        // When the generator runs them and drains
        LoadSummary summary = LoadGenerator.run(stack, options);
        String json = summary.toJson();
        System.out.println("LOAD " + json);

        // Then all 800 were sent, and every one was accepted, half over each channel
        assertThat(summary.payments()).isEqualTo(800);
        assertThat(summary.sent()).isEqualTo(800);
        assertThat(summary.notSent()).isZero();
        assertThat(summary.refusedByStatus()).isEmpty();
        assertThat(summary.uncertain()).isZero();
        assertThat(summary.acceptedHttp()).isEqualTo(400);
        assertThat(summary.acceptedKafka()).isEqualTo(400);
        assertThat(summary.initiated()).isEqualTo(800);
        assertThat(summary.accepted() + summary.refused() + summary.uncertain()).isEqualTo(summary.sent());

        // And every accepted payment reached exactly one final outcome, mostly posted (the accounts are funded)
        assertThat(summary.lost()).isZero();
        assertThat(summary.duplicates()).isZero();
        assertThat(summary.duplicatePayments()).isZero();
        assertThat(summary.finals()).isEqualTo(summary.accepted());
        assertThat(summary.finalByStatus()).containsOnlyKeys("POSTED", "DECLINED", "REJECTED");
        assertThat(summary.finalByStatus().get("POSTED")).isEqualTo(800);

        // And the latencies are positive and ordered, and each one was counted
        LoadSummary.Latency latency = summary.latency();
        assertThat(latency.count()).isEqualTo(800);
        assertThat(latency.p50()).isPositive();
        assertThat(List.of(latency.p50(), latency.p95(), latency.p99(), latency.p999(), latency.max())).isSorted();
        assertThat(summary.httpAnswer().count()).isEqualTo(400);
        assertThat(summary.httpAnswer().p50()).isPositive().isLessThanOrEqualTo(summary.httpAnswer().p99());
        assertThat(summary.clockSkewed()).isZero();
        // (stage by stage, for the payments whose every stage the tracker saw before their outcome)
        assertThat(summary.stages()).containsOnlyKeys(LoadGenerator.STAGES);
        assertThat(summary.stages().values()).allSatisfy(stage -> {
            assertThat(stage.count()).isBetween(1L, 800L);
            assertThat(stage.p50()).isLessThanOrEqualTo(latency.max());
        });

        // And the timeline adds up to the totals: 40 due in each of the 20 seconds, accepted and final ones all counted
        List<Timeline.Second> seconds = summary.timeline().seconds();
        assertThat(seconds.subList(0, 20)).extracting(Timeline.Second::scheduled).containsOnly(40L);
        assertThat(summary.timeline().totalScheduled()).isEqualTo(800);
        assertThat(summary.timeline().totalAccepted()).isEqualTo(summary.accepted());
        assertThat(summary.timeline().totalFinals()).isEqualTo(summary.finals());
        // (in the 20 s window: no more than were due in it, whatever came late)
        assertThat(summary.acceptedPerSecond()).isPositive().isLessThanOrEqualTo(40.0);
        assertThat(summary.finalPerSecond()).isPositive().isLessThanOrEqualTo(40.0);

        // And the JSON line says the same
        JsonNode line = JsonMapper.builder().build().readTree(json);
        assertThat(line.get("sent").asLong()).isEqualTo(800);
        assertThat(line.get("accepted").get("total").asLong()).isEqualTo(800);
        assertThat(line.get("final").get("total").asLong()).isEqualTo(800);
        assertThat(line.get("lost").asLong()).isZero();
        assertThat(line.get("latencyMs").get("p99.9").asDouble()).isEqualTo(latency.p999());
    }
}

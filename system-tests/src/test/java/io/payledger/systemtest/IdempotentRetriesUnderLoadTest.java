package io.payledger.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.systemtest.PaymentTraffic.Channel;
import io.payledger.systemtest.PaymentTraffic.Outcome;
import io.payledger.systemtest.PaymentTraffic.Retry;
import io.payledger.systemtest.PaymentTraffic.Submission;
import io.payledger.testsupport.HttpApi;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Fault scenario: a client that sends every HTTP request twice at once, and a third time once answered, with the same
 * Idempotency-Key and body, under load. docs/SPEC.md: the same key with the same body returns the same payment; while
 * the first request is in flight it is 409 (request-in-flight); the same key with a different body is 422
 * (idempotency-key-reused).
 */
class IdempotentRetriesUnderLoadTest extends SharedStackTest {

    @Test
    void aClientRetryingEveryRequestWithTheSameKeyGetsOnePaymentPerKey() throws Exception {
        // Given funded accounts and payments flowing over HTTP and Kafka
        FaultDrill drill = FaultDrill.prepare(stack, platform, "idempotent retries", "CAD",
                FaultDrill.Settings.defaults());

        // When for 10 s every HTTP request is sent twice concurrently and again after the answer, same key and body
        FaultDrill.Result result = drill.run(Faults.retryingClient(drill.traffic(), Duration.ofSeconds(10)));

        // Then each key has one payment (the drill: one payment per key, no two keys sharing one, each settled once,
        // money moved once), and every answer that accepted it named that same payment; a concurrent twin was
        // either accepted as the same payment or told the first is in flight
        List<Retry> retries = drill.traffic().retries();
        assertThat(retries).hasSizeGreaterThan(50);
        for (Retry retry : retries) {
            Submission submission = result.submissions().stream().filter(s -> s.key().equals(retry.key()))
                    .findFirst().orElseThrow();
            assertThat(submission.outcome()).as(retry.toString()).isEqualTo(Outcome.ACCEPTED);
            assertThat(retry.concurrent()).as(retry.toString()).contains("202")
                    .allMatch(answer -> answer.equals("202") || answer.equals("409 urn:payledger:problem:request-in-flight"));
            assertThat(retry.concurrentPaymentIds().stream().filter(Objects::nonNull)).as(retry.toString())
                    .containsOnly(submission.paymentId());
            assertThat(retry.after()).as(retry.toString()).isEqualTo("202");
            assertThat(retry.afterPaymentId()).as(retry.toString()).isEqualTo(submission.paymentId());
        }
        long inFlight = retries.stream().filter(r -> r.concurrent().stream().anyMatch(a -> a.startsWith("409"))).count();

        // When some of those keys are sent again with a different body (another amount)
        List<Submission> accepted = result.submissions().stream()
                .filter(s -> s.channel() == Channel.HTTP && s.outcome() == Outcome.ACCEPTED).limit(10).toList();
        for (Submission submission : accepted) {
            HttpApi.Response response = platform.walletPay(submission.key(), submission.from(), submission.to(),
                    submission.amountMinor() + 1, submission.currency());

            // Then each is refused as a reused key, and the payment stays as it was
            assertThat(response.status()).as(response.body()).isEqualTo(422);
            assertThat(response.body()).contains("urn:payledger:problem:idempotency-key-reused");
            assertThat(platform.walletPaymentByKey(submission.key())).hasValueSatisfying(payment ->
                    assertThat(payment.get("paymentId").asText()).isEqualTo(submission.paymentId()));
        }
        System.out.printf("RETRIES %s: %d requests each sent three times (%d times a concurrent twin got 409 "
                + "request-in-flight, otherwise the same payment); a different body with the same key: 422%n",
                result.scenario(), retries.size(), inFlight);
    }
}

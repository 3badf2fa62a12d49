package io.payledger.systemtest.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured. Rates are over the run window, its first {@code duration} seconds: what was accepted or
 * reached its final outcome then, divided by the duration (the drain after it is not counted).
 *
 * @param stack             {@code local} (started by the generator's JVM) or {@code external}
 * @param payments          payments the run was to make: rate x duration
 * @param due               payments whose due time came (all of them, unless the run was cut short)
 * @param notSent           due but not sent: {@code maxInFlight} sends were under way already
 * @param refusedByStatus   HTTP answers other than 202, by status
 * @param uncertainHttp     HTTP requests without an answer (failed, timed out): they may have been accepted
 * @param uncertainKafka    Kafka commands the broker did not acknowledge
 * @param uncertainCauses   why: the exception's class, e.g. HttpTimeoutException (no answer within httpTimeout)
 * @param uncertainFinal    uncertain ones that turned out to have been made, and reached a final outcome
 * @param initiated         payments of the run on payments.initiated (HTTP and Kafka)
 * @param finalByStatus     final outcomes: POSTED and DECLINED (ledger.transactions), REJECTED (fraud)
 * @param lost              accepted (or initiated) payments without a final outcome when the drain ended
 * @param duplicates        final outcomes beyond a payment's first (a second posting, a posting after a rejection)
 * @param duplicatePayments submissions payment-service made more than one payment of (one reference, two IDs)
 * @param clockSkewed       outcomes whose record timestamp was before the payment was due (counted as 0 ms)
 * @param latency           due time to the final outcome's record timestamp
 * @param stages            a posted or declined payment's latency stage by stage ({@link LoadGenerator#STAGES}):
 *                          due to accepted, to initiated stamped, to initiated committed, to decision committed,
 *                          to outcome stamped
 * @param httpAnswer        due time to the HTTP answer, any status
 * @param sendLag           due time to the moment the generator sent it: how far behind its own schedule it was (a
 *                          generator starved of CPU; its latencies still count from the due time)
 * @param drainMillis       from the last arrival until every accepted payment was final (or the drain timed out)
 * @param timeline          second by second
 */
public record LoadSummary(LoadOptions options, String stack, String run, long payments, long due, long notSent,
                          long acceptedHttp, long acceptedKafka, Map<String, Long> refusedByStatus, long uncertainHttp,
                          long uncertainKafka, Map<String, Long> uncertainCauses, long uncertainFinal, long initiated,
                          Map<String, Long> finalByStatus,
                          long lost, long duplicates, long duplicatePayments, long clockSkewed, Latency latency,
                          Map<String, Latency> stages, Latency httpAnswer, Latency sendLag, long drainMillis,
                          Timeline timeline) {

    /** Percentiles in milliseconds (the histogram's microseconds, to a tenth of a millisecond). */
    public record Latency(long count, double p50, double p95, double p99, double p999, double max) {

        static Latency of(Histogram histogram) {
            Histogram copy = histogram.copy();
            if (copy.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0);
            }
            return new Latency(copy.getTotalCount(), ms(copy.getValueAtPercentile(50)),
                    ms(copy.getValueAtPercentile(95)), ms(copy.getValueAtPercentile(99)),
                    ms(copy.getValueAtPercentile(99.9)), ms(copy.getMaxValue()));
        }

        private static double ms(long micros) {
            return Math.round(micros / 100.0) / 10.0;
        }
    }

    /** Sent: due and handed to the HTTP client or the producer. */
    public long sent() {
        return due - notSent;
    }

    public long accepted() {
        return acceptedHttp + acceptedKafka;
    }

    public long refused() {
        return refusedByStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    public long uncertain() {
        return uncertainHttp + uncertainKafka;
    }

    public long finals() {
        return finalByStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    private int windowSeconds() {
        return (int) Math.max(1, Math.ceil(options.duration().toMillis() / 1000.0));
    }

    /** Accepted a second over the run window. */
    public double acceptedPerSecond() {
        return timeline.seconds().stream().filter(s -> s.second() < windowSeconds())
                .mapToLong(Timeline.Second::accepted).sum() / (options.duration().toMillis() / 1000.0);
    }

    /** Final outcomes a second over the run window. */
    public double finalPerSecond() {
        return timeline.seconds().stream().filter(s -> s.second() < windowSeconds())
                .mapToLong(Timeline.Second::finals).sum() / (options.duration().toMillis() / 1000.0);
    }

    /** The one JSON line the README describes. */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("load", "payments");
        json.put("stack", stack);
        json.put("run", run);
        json.put("rate", options.rate());
        json.put("durationSeconds", options.duration().toMillis() / 1000.0);
        json.put("kafkaShare", options.kafkaShare());
        json.put("httpBatch", options.httpBatch());
        json.put("accounts", options.accounts());
        json.put("hotAccounts", options.hotAccounts());
        json.put("hotShare", options.hotShare());
        json.put("maxAmount", LoadGenerator.decimal(options.maxAmountMinor()));
        json.put("payments", payments);
        json.put("sent", sent());
        json.put("notSent", notSent);
        json.put("accepted", map("total", accepted(), "http", acceptedHttp, "kafka", acceptedKafka));
        json.put("refused", new LinkedHashMap<>(refusedByStatus));
        json.put("uncertain", map("total", uncertain(), "http", uncertainHttp, "kafka", uncertainKafka,
                "final", uncertainFinal, "causes", new LinkedHashMap<>(uncertainCauses)));
        json.put("initiated", initiated);
        Map<String, Object> finals = new LinkedHashMap<>();
        finals.put("total", finals());
        finals.putAll(finalByStatus);
        json.put("final", finals);
        json.put("lost", lost);
        json.put("duplicates", duplicates);
        json.put("duplicatePayments", duplicatePayments);
        json.put("acceptedPerSecond", round(acceptedPerSecond()));
        json.put("finalPerSecond", round(finalPerSecond()));
        json.put("latencyMs", map("p50", latency.p50, "p95", latency.p95, "p99", latency.p99, "p99.9", latency.p999,
                "max", latency.max));
        Map<String, Object> stageMs = new LinkedHashMap<>();
        stages.forEach((stage, l) -> stageMs.put(stage, map("p50", l.p50, "p99", l.p99)));
        json.put("stageMs", stageMs);
        json.put("httpAnswerMs", map("p50", httpAnswer.p50, "p99", httpAnswer.p99, "max", httpAnswer.max));
        json.put("sendLagMs", map("p50", sendLag.p50, "p99", sendLag.p99, "max", sendLag.max));
        json.put("drainSeconds", round(drainMillis / 1000.0));
        json.put("clockSkewed", clockSkewed);
        return Json.of(json);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** A one-line JSON rendering of nested maps, lists, numbers, booleans and strings. */
    static final class Json {

        private Json() {
        }

        static String of(Object value) {
            if (value instanceof Map<?, ?> map) {
                return map.entrySet().stream().map(e -> of(String.valueOf(e.getKey())) + ":" + of(e.getValue()))
                        .collect(Collectors.joining(",", "{", "}"));
            }
            if (value instanceof List<?> list) {
                return list.stream().map(Json::of).collect(Collectors.joining(",", "[", "]"));
            }
            if (value instanceof Number || value instanceof Boolean) {
                return String.valueOf(value);
            }
            return "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}

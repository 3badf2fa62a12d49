package io.payledger.ledger.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the posting path, bound from {@code payledger.ledger.*}.
 *
 * @param maxAttempts        attempts of one SERIALIZABLE batch before giving up (the batch is then retried later)
 * @param retryBaseDelay     first back-off ceiling after a serialization failure
 * @param retryMaxDelay      largest back-off ceiling
 * @param batchSize          most payments applied in one database transaction (max.poll.records)
 * @param consumers          consumer threads per instance; each is a writer, so more means more contention
 * @param relayBatchSize     transactions published per Kafka transaction by the event relay
 */
@ConfigurationProperties("payledger.ledger")
public record LedgerSettings(int maxAttempts, Duration retryBaseDelay, Duration retryMaxDelay, int batchSize,
                             int consumers, int relayBatchSize) {

    public LedgerSettings {
        maxAttempts = maxAttempts <= 0 ? 10 : maxAttempts;
        retryBaseDelay = retryBaseDelay == null ? Duration.ofMillis(5) : retryBaseDelay;
        retryMaxDelay = retryMaxDelay == null ? Duration.ofSeconds(1) : retryMaxDelay;
        batchSize = batchSize <= 0 ? 2_000 : batchSize;
        consumers = consumers <= 0 ? 1 : consumers;
        relayBatchSize = relayBatchSize <= 0 ? 1_000 : relayBatchSize;
    }
}

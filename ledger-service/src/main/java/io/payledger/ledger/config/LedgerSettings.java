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

    /** Defaults live in ledger-service.yml, once; here a missing or nonsensical value is refused at start-up. */
    public LedgerSettings {
        requirePositive("max-attempts (LEDGER_MAX_ATTEMPTS)", maxAttempts);
        requirePositive("batch-size (LEDGER_BATCH_SIZE)", batchSize);
        requirePositive("consumers (LEDGER_CONSUMERS)", consumers);
        requirePositive("relay-batch-size (LEDGER_RELAY_BATCH_SIZE)", relayBatchSize);
        if (retryBaseDelay == null || retryMaxDelay == null || retryBaseDelay.isNegative()
                || retryMaxDelay.compareTo(retryBaseDelay) < 0) {
            throw new IllegalArgumentException("payledger.ledger.retry-base-delay (LEDGER_RETRY_BASE_DELAY) and "
                    + "retry-max-delay (LEDGER_RETRY_MAX_DELAY) must be set, the maximum no less than the base; got "
                    + retryBaseDelay + " and " + retryMaxDelay);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("payledger.ledger." + name + " must be positive, got " + value);
        }
    }
}

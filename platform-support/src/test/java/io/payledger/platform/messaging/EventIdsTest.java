package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventIdsTest {

    private static final String PAYMENT = "0b6f3a52-6f4e-4a57-9c63-2f1d9f1e7a10";

    @Test
    void idsAreTheOnesAlreadyPublished() {
        // Given the kinds and subjects the ledger and fraud-service derive event IDs from
        // When their IDs are derived
        // Then they are exactly the IDs published before (consumers dedupe on them; a replay must match)
        assertThat(EventIds.of("transaction-posted", PAYMENT)).isEqualTo("ab04cae1-f9a9-3c5b-93a4-52d605d6b803");
        assertThat(EventIds.of("fraud-decision", PAYMENT)).isEqualTo("b0e73c00-4ca8-3418-9c44-5bc02e3bc9c7");
        assertThat(EventIds.of("entry-posted", "alice-usd/1")).isEqualTo("eee1ccbc-bdd0-3d44-b4eb-603652a9efdc");
    }

    @Test
    void theSameEventGetsTheSameIdAndAnotherEventAnother() {
        // Given one payment
        // When the IDs of its events are derived twice
        // Then the same event gets the same ID, and another kind about the same subject another
        assertThat(EventIds.of("transaction-posted", PAYMENT)).isEqualTo(EventIds.of("transaction-posted", PAYMENT));
        assertThat(EventIds.of("transaction-posted", PAYMENT)).isNotEqualTo(EventIds.of("transaction-declined", PAYMENT));
    }
}

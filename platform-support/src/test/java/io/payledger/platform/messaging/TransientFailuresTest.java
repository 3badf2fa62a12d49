package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.schemas.serde.SchemaRegistryUnavailableException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

    @Test
    void theInfrastructureBeingAwayIsTransientWhereverItIsInTheCauseChain() {
        assertThat(TransientFailures.isTransient(wrapped(new SQLException("connection refused", "08001")))).isTrue();
        assertThat(TransientFailures.isTransient(wrapped(new SQLException("could not serialize", "40001")))).isTrue();
        assertThat(TransientFailures.isTransient(wrapped(new SQLException("shutting down", "57P01")))).isTrue();
        assertThat(TransientFailures.isTransient(wrapped(new SQLException("permission denied", "42501")))).isTrue();
        assertThat(TransientFailures.isTransient(wrapped(new SQLTransientConnectionException("pool timeout")))).isTrue();
        assertThat(TransientFailures.isTransient(wrapped(new ConnectException("refused")))).isTrue();
        assertThat(TransientFailures.isTransient(wrapped(new TimeoutException("broker")))).isTrue();
        assertThat(TransientFailures.isTransient(new SchemaRegistryUnavailableException("503", null))).isTrue();
        assertThat(TransientFailures.isTransient(new DeadLetterUnavailableException("no ack", null))).isTrue();
        assertThat(TransientFailures.isTransient(new RetryLaterException("in flight", null))).isTrue();
    }

    @Test
    void aFailureThatFollowsTheDataIsNotTransient() {
        assertThat(TransientFailures.isTransient(wrapped(new SQLException("invalid byte sequence", "22021")))).isFalse();
        assertThat(TransientFailures.isTransient(wrapped(new SQLException("value too long", "22001")))).isFalse();
        assertThat(TransientFailures.isTransient(wrapped(new SQLException("check violation", "23514")))).isFalse();
        assertThat(TransientFailures.isTransient(wrapped(new SQLException("raised by a trigger", "P0001")))).isFalse();
        assertThat(TransientFailures.isTransient(new NullPointerException())).isFalse();
        assertThat(TransientFailures.isTransient(new IllegalStateException("bug"))).isFalse();
    }

    private static RuntimeException wrapped(Exception cause) {
        return new IllegalStateException("statement failed", new RuntimeException(cause));
    }
}

package io.payledger.platform.messaging;

/**
 * A dead letter could not be written (the broker did not acknowledge it). The record it was for is
 * neither skipped nor acknowledged: this is a transient failure, retried like a broker outage.
 */
public class DeadLetterUnavailableException extends RuntimeException {

    public DeadLetterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

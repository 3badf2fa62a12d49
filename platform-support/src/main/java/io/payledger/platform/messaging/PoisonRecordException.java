package io.payledger.platform.messaging;

/**
 * A record that can never be processed however often it is retried: bytes that do not decode, or a
 * message that breaks the contract. It goes to its dead-letter topic and the consumer carries on.
 */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.payledger.platform.messaging;

/**
 * A record that cannot be processed yet through no fault of its own (a service it needs is away, the
 * same request is in flight). A listener throws this to keep the record and try it again later, for
 * as long as it takes: it is transient, never dead-lettered.
 */
public class RetryLaterException extends RuntimeException {

    public RetryLaterException(String message, Throwable cause) {
        super(message, cause);
    }
}

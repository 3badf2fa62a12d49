package io.payledger.payment.domain;

/** The account directory did not answer; the request may be retried. */
public class AccountDirectoryUnavailableException extends RuntimeException {

    public AccountDirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

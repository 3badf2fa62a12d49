package io.payledger.platform.money;

/** An amount or currency that cannot be represented exactly; the message says what to fix. */
public class InvalidMoneyException extends IllegalArgumentException {

    public InvalidMoneyException(String message) {
        super(message);
    }
}

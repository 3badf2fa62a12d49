package io.payledger.platform.rules;

import io.payledger.platform.ids.AccountIds;
import io.payledger.platform.money.Money;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules a payment obeys wherever it crosses a boundary: HTTP and Kafka intake, and every consumer
 * of a record that carries one (fraud, ledger, notifications). One set of rules, so a record that
 * HTTP would refuse can never be applied because it arrived another way. Pure: no I/O, no framework.
 */
public final class PaymentRules {

    /** What is wrong with a payment, and which field to fix. */
    public enum Defect {
        INVALID_ID,
        INVALID_ACCOUNT,
        INVALID_CURRENCY,
        INVALID_AMOUNT,
        INVALID_REFERENCE,
        SAME_ACCOUNT,
        INVALID_REASON
    }

    /** The first rule a payment breaks, with a message a person can act on (it never echoes raw input). */
    public record Violation(Defect defect, String message) {
    }

    public static final int MAX_REFERENCE_LENGTH = 140;
    public static final int MAX_REASONS = 16;
    public static final int MAX_EVENT_ID_LENGTH = 128;
    public static final int MAX_REASON_LENGTH = 64;
    private static final Pattern REASON_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0," + (MAX_REASON_LENGTH - 1) + "}");

    /** A canonical UUID, as the platform writes payment IDs: 8-4-4-4-12 lower- or upper-case hex digits. */
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private PaymentRules() {
    }

    /**
     * The first rule the payment breaks, checked in the order a producer would fix them: accounts,
     * currency, reference, amount, then source against destination.
     */
    public static Optional<Violation> check(String sourceAccountId, String destinationAccountId, long amountMinor,
                                            String currency, String reference) {
        Optional<Violation> violation = checkAccountId("sourceAccountId", sourceAccountId)
                .or(() -> checkAccountId("destinationAccountId", destinationAccountId));
        if (violation.isPresent()) {
            return violation;
        }
        if (!Money.isSupportedCurrency(currency)) {
            return Optional.of(new Violation(Defect.INVALID_CURRENCY,
                    "currency must be an ISO 4217 code such as \"USD\", got " + ProducerText.quote(currency)));
        }
        if (reference != null && reference.length() > MAX_REFERENCE_LENGTH) {
            return Optional.of(new Violation(Defect.INVALID_REFERENCE,
                    "reference must be at most " + MAX_REFERENCE_LENGTH + " characters, got " + reference.length()));
        }
        if (reference != null && !ProducerText.isPrintable(reference)) {
            return Optional.of(new Violation(Defect.INVALID_REFERENCE,
                    "reference must be printable text, without control characters (NUL, tab, line breaks) or "
                            + "broken Unicode, got " + ProducerText.quote(reference)));
        }
        if (amountMinor <= 0) {
            return Optional.of(new Violation(Defect.INVALID_AMOUNT, "amount must be greater than zero"));
        }
        if (Objects.equals(sourceAccountId, destinationAccountId)) {
            return Optional.of(new Violation(Defect.SAME_ACCOUNT, "source and destination must be different accounts"));
        }
        return Optional.empty();
    }

    /** A payment as the platform identifies it (also the ledger's transaction ID): a canonical UUID. */
    public static Optional<UUID> paymentId(String paymentId) {
        if (paymentId == null || !CANONICAL_UUID.matcher(paymentId).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(paymentId));
    }

    /** An event ID, which consumers dedupe on: 1-{@value #MAX_EVENT_ID_LENGTH} printable characters. */
    public static Optional<Violation> checkEventId(String eventId) {
        if (eventId == null || eventId.isBlank() || eventId.length() > MAX_EVENT_ID_LENGTH
                || !ProducerText.isPrintable(eventId)) {
            return Optional.of(new Violation(Defect.INVALID_ID, "event ID " + ProducerText.quote(eventId)
                    + " is not 1-" + MAX_EVENT_ID_LENGTH + " printable characters"));
        }
        return Optional.empty();
    }

    /** The rule for any ID the platform writes (payment and event IDs), for a message that names it. */
    public static String idRule() {
        return "a UUID such as 0b7e6f0a-3c1d-4e2f-9a8b-1c2d3e4f5a6b";
    }

    /**
     * Reason codes on a decision or an outcome (e.g. {@code AMOUNT_OVER_LIMIT}): upper-case words joined by
     * '_', at most {@value #MAX_REASON_LENGTH} characters, at most {@value #MAX_REASONS} of them.
     */
    public static Optional<Violation> checkReasonCodes(List<String> reasons) {
        if (reasons.size() > MAX_REASONS) {
            return Optional.of(new Violation(Defect.INVALID_REASON,
                    "at most " + MAX_REASONS + " reason codes, got " + reasons.size()));
        }
        for (String reason : reasons) {
            if (reason == null || !REASON_CODE.matcher(reason).matches()) {
                return Optional.of(new Violation(Defect.INVALID_REASON, "reason code " + ProducerText.quote(reason)
                        + " is not 1-" + MAX_REASON_LENGTH + " upper-case letters, digits or '_'"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> checkAccountId(String field, String accountId) {
        if (AccountIds.isValid(accountId)) {
            return Optional.empty();
        }
        return Optional.of(new Violation(Defect.INVALID_ACCOUNT, field + " " + ProducerText.quote(accountId)
                + " is not an account ID: expected " + AccountIds.RULE));
    }
}

package io.payledger.notification.domain;

/**
 * What an event tells one account, before it is recorded as a {@link Notification}. A payment's acceptance
 * also says whose payment it is ({@code owner}), recorded with it.
 */
public record Notice(String paymentId, NotificationKind kind, String recipientAccountId, String message,
                     String sourceEventId, PaymentOwner owner) {

    public static Notice of(String paymentId, NotificationKind kind, String recipientAccountId, String message,
                            String sourceEventId) {
        return new Notice(paymentId, kind, recipientAccountId, message, sourceEventId, null);
    }

    /** @param owner the client that submitted the payment, or null when unknown */
    public static Notice acceptance(String paymentId, String owner, String recipientAccountId, String message,
                                    String sourceEventId) {
        return new Notice(paymentId, NotificationKind.PAYMENT_ACCEPTED, recipientAccountId, message, sourceEventId,
                new PaymentOwner(paymentId, owner));
    }
}

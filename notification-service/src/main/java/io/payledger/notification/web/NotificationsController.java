package io.payledger.notification.web;

import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationStore;
import io.payledger.platform.rules.ProducerText;
import io.payledger.platform.security.Caller;
import io.payledger.platform.web.ApiProblem;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What was sent about a payment, for the client that submitted it and for operators. A payment's
 * notifications belong to its client (recorded from {@code PaymentInitiated.initiatedBy}); anyone else,
 * and anyone but an operator for a payment whose client is unknown, gets a 404 that says no more than
 * that this caller has no such payment.
 */
@RestController
@RequestMapping("/v1/notifications")
public class NotificationsController {

    static final String PAYMENT_NOT_FOUND = "payment-not-found";

    private final NotificationStore notifications;

    public NotificationsController(NotificationStore notifications) {
        this.notifications = notifications;
    }

    public record NotificationView(String notificationId, String paymentId, String kind, String recipientAccountId,
                                   String message, String createdAt, String deliveredAt) {
        static NotificationView of(Notification n) {
            return new NotificationView(n.notificationId().toString(), n.paymentId(), n.kind().name(),
                    n.recipientAccountId(), n.message(), n.createdAt().toString(),
                    n.deliveredAt().map(Object::toString).orElse(null));
        }
    }

    @GetMapping
    public List<NotificationView> forPayment(@RequestParam String paymentId, Caller caller) {
        // Operators read every payment's; a payment whose client is unknown (null) is nobody else's.
        if (!caller.maySee(notifications.ownerOf(paymentId).orElse(null))) {
            throw ApiProblem.notFound(PAYMENT_NOT_FOUND, "no payment " + ProducerText.quote(paymentId));
        }
        return notifications.forPayment(paymentId).stream().map(NotificationView::of).toList();
    }
}

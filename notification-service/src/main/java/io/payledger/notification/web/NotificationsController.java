package io.payledger.notification.web;

import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationStore;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What was sent about a payment, for support and operators. */
@RestController
@RequestMapping("/v1/notifications")
public class NotificationsController {

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
    public List<NotificationView> forPayment(@RequestParam String paymentId) {
        return notifications.forPayment(paymentId).stream().map(NotificationView::of).toList();
    }
}

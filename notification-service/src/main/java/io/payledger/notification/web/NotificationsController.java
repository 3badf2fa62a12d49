package io.payledger.notification.web;

import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationStore;
import io.payledger.platform.rules.ProducerText;
import io.payledger.platform.security.Caller;
import io.payledger.platform.web.ApiProblem;
import io.payledger.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Notifications", description = "What was sent to whom about a payment")
public class NotificationsController {

    static final String PAYMENT_NOT_FOUND = "payment-not-found";

    private final NotificationStore notifications;

    public NotificationsController(NotificationStore notifications) {
        this.notifications = notifications;
    }

    @Schema(description = "A notification sent to an account's owner", requiredProperties = {"notificationId",
            "paymentId", "kind", "recipientAccountId", "message", "createdAt", "deliveredAt"})
    public record NotificationView(
            @Schema(format = "uuid") String notificationId,
            String paymentId,
            @Schema(allowableValues = {"PAYMENT_ACCEPTED", "PAYMENT_REJECTED", "PAYMENT_POSTED", "PAYMENT_DECLINED",
                    "PAYMENT_RECEIVED"}) String kind,
            String recipientAccountId,
            @Schema(example = "You received 19.99 USD from gina.") String message,
            @Schema(format = "date-time") String createdAt,
            @Schema(types = {"string", "null"}, format = "date-time") String deliveredAt) {
        static NotificationView of(Notification n) {
            return new NotificationView(n.notificationId().toString(), n.paymentId(), n.kind().name(),
                    n.recipientAccountId(), n.message(), n.createdAt().toString(),
                    n.deliveredAt().map(Object::toString).orElse(null));
        }
    }

    @GetMapping
    @Operation(operationId = "listPaymentNotifications", summary = "List what was sent about a payment",
            description = "The payer's and the payee's notifications. Answered to the client that submitted the "
                    + "payment and to operators; to anyone else it is the same 404 as an unknown payment.")
    @ApiResponse(responseCode = "200", description = "The payment's notifications")
    @ProblemResponse(status = 404, types = PAYMENT_NOT_FOUND,
            description = "no such payment known here, or not the caller's")
    public List<NotificationView> forPayment(@RequestParam String paymentId, Caller caller) {
        // Operators read every payment's; a payment whose client is unknown (null) is nobody else's.
        if (!caller.maySee(notifications.ownerOf(paymentId).orElse(null))) {
            throw ApiProblem.notFound(PAYMENT_NOT_FOUND, "no payment " + ProducerText.quote(paymentId));
        }
        return notifications.forPayment(paymentId).stream().map(NotificationView::of).toList();
    }
}

package io.payledger.notification.messaging;

import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Delivers by writing to the log: the default until a real channel (e-mail, push) is configured. */
public final class LoggingNotificationSender implements NotificationSender {

    private static final Logger log = LoggerFactory.getLogger("notifications");

    @Override
    public void send(Notification notification) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("paymentId", notification.paymentId())) {
            log.info("To {}: {}", notification.recipientAccountId(), notification.message());
        }
    }
}

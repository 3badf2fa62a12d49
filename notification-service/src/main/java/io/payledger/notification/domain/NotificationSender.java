package io.payledger.notification.domain;

/** Delivers a notification to its recipient (e-mail, push, webhook...). */
public interface NotificationSender {

    /** @throws RuntimeException if delivery failed; it is attempted again later */
    void send(Notification notification);
}

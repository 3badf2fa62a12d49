package io.payledger.notification.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON body every subscriber gets for a notification, built once when the notification is recorded and
 * sent byte for byte on every attempt (the signature covers these exact bytes).
 */
public final class WebhookPayloads {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebhookPayloads() {
    }

    public static String of(Notification notification) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("paymentId", notification.paymentId());
        data.put("accountId", notification.recipientAccountId());
        data.put("kind", notification.kind().name());
        data.put("message", notification.message());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", notification.notificationId().toString());
        body.put("type", WebhookEventType.of(notification.kind()).wireName());
        body.put("createdAt", notification.createdAt().toString());
        body.put("data", data);
        return JSON.writeValueAsString(body);
    }
}

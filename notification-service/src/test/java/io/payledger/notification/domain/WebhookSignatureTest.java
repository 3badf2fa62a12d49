package io.payledger.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final String SECRET = "whsec_test-secret";
    private static final String BODY = "{\"id\":\"n-1\",\"type\":\"payment.posted\"}";
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void signsTheTimestampAndBodyWithHmacSha256InLowercaseHex() {
        // Given a known secret, timestamp and body (expected value from openssl:
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test-secret)
        String signature = WebhookSignature.sign(SECRET, 1_700_000_000L, "{\"a\":1}");

        // Then it is v1= and the HMAC in 64 lowercase hex digits, as any HMAC-SHA256 tool computes it
        assertThat(signature).isEqualTo("v1=f7c40776aa58d1eee88648e741f2488ecc8e2cc810cd3801942f335e82a1da57");
        assertThat(signature).isNotEqualTo(WebhookSignature.sign(SECRET, 1_700_000_001L, "{\"a\":1}"));
    }

    @Test
    void acceptsItsOwnSignatureWithinTheWindowOnly() {
        // Given a delivery signed now
        long timestamp = NOW.getEpochSecond();
        String signature = WebhookSignature.sign(SECRET, timestamp, BODY);

        // Then it verifies now and at the edges of the 5-minute window, not beyond them
        Duration window = WebhookSignature.DEFAULT_TOLERANCE;
        assertThat(WebhookSignature.verify(SECRET, Long.toString(timestamp), signature, BODY, NOW, window)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(timestamp), signature, BODY, NOW.plus(window), window))
                .isTrue();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(timestamp), signature, BODY,
                NOW.plus(window).plusSeconds(1), window)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(timestamp), signature, BODY,
                NOW.minus(window).minusSeconds(1), window)).isFalse();
    }

    @Test
    void refusesATamperedBodyTimestampOrKeyAndGarbage() {
        long timestamp = NOW.getEpochSecond();
        String signature = WebhookSignature.sign(SECRET, timestamp, BODY);
        Duration window = WebhookSignature.DEFAULT_TOLERANCE;

        assertThat(WebhookSignature.verify(SECRET, Long.toString(timestamp), signature, BODY.replace("n-1", "n-2"),
                NOW, window)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(timestamp - 1), signature, BODY, NOW, window))
                .isFalse();
        assertThat(WebhookSignature.verify("whsec_other", Long.toString(timestamp), signature, BODY, NOW, window))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, "soon", signature, BODY, NOW, window)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, null, signature, BODY, NOW, window)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(timestamp), signature.toUpperCase(), BODY, NOW,
                window)).isFalse();
    }
}

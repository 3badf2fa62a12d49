package io.payledger.notification.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a delivery is signed: {@code v1=} and the lowercase hex HMAC-SHA256, keyed by the subscription's secret
 * (its UTF-8 bytes, {@code whsec_} prefix included), of {@code <timestamp>.<body>}, where the timestamp is the
 * attempt's Unix time in seconds, sent as {@code Payledger-Webhook-Timestamp}. Signing the timestamp lets a
 * receiver refuse a captured delivery replayed later.
 */
public final class WebhookSignature {

    public static final String ID_HEADER = "Payledger-Webhook-Id";
    public static final String TIMESTAMP_HEADER = "Payledger-Webhook-Timestamp";
    public static final String SIGNATURE_HEADER = "Payledger-Webhook-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final String VERSION = "v1=";

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return VERSION + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * Whether {@code signature} is this body's, signed at {@code timestamp} within {@code tolerance} of
     * {@code now} either way. Compared in constant time, so the comparison leaks nothing about the expected value.
     */
    public static boolean verify(String secret, String timestamp, String signature, String body, Instant now,
                                 Duration tolerance) {
        if (secret == null || timestamp == null || signature == null || body == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = sign(secret, seconds, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
    }
}

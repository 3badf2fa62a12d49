package io.payledger.notification.domain;

import java.security.SecureRandom;
import java.util.Base64;

/** A subscription's signing secret: {@code whsec_} and 32 random bytes, base64url. */
public final class WebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}

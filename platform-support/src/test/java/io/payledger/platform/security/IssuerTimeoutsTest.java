package io.payledger.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Fetching the issuer's keys has time limits: an issuer that accepts and never answers fails the check. */
class IssuerTimeoutsTest {

    @Test
    void anIssuerThatNeverAnswersFailsTheTokenCheckWithinTheReadTimeout() throws Exception {
        // Given an issuer that accepts connections and never answers
        CountDownLatch testOver = new CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread accepter = new Thread(() -> {
                try (Socket held = silent.accept()) {
                    testOver.await();
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            accepter.setDaemon(true);
            accepter.start();
            NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder =
                    NimbusJwtDecoder.withJwkSetUri("http://localhost:" + silent.getLocalPort() + "/oauth2/jwks");
            new PlatformSecurityAutoConfiguration().issuerTimeouts().customize(builder);
            NimbusJwtDecoder decoder = builder.build();

            // When a token is checked, its key fetched from that issuer
            long started = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(() -> decoder.decode(token())).isInstanceOf(RuntimeException.class));

            // Then the check fails after the read timeout, not never
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(PlatformSecurityAutoConfiguration.ISSUER_READ_TIMEOUT.minusMillis(500));
            testOver.countDown();
        }
    }

    /** A well-formed RS256 JWT naming a key; its signature is never reached. */
    private static String token() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        String claims = url.encodeToString("{\"sub\":\"x\",\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + url.encodeToString(new byte[256]);
    }
}

package io.payledger.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SigningKeys keys = new SigningKeys(TTL, clock);

    @Test
    void theNextKeyIsPublishedBeforeItSignsAndSignsAfterTheRotation() {
        // Given fresh keys
        RSAKey first = keys.signingKey();
        List<String> published = kids();
        assertThat(first.isPrivate()).isTrue();
        assertThat(published).hasSize(2).contains(first.getKeyID());
        String next = published.stream().filter(kid -> !kid.equals(first.getKeyID())).findFirst().orElseThrow();

        // When they rotate
        RSAKey second = keys.rotate();

        // Then the key published as next signs, and the first is still published
        assertThat(second.getKeyID()).isEqualTo(next).isEqualTo(keys.signingKey().getKeyID());
        assertThat(kids()).hasSize(3).contains(first.getKeyID(), second.getKeyID());
        assertThat(keys.publishedKeys().getKeys()).noneMatch(JWK::isPrivate);
    }

    @Test
    void aRetiredKeyStaysPublishedForTheTokenTtlPlusClockSkewAndNoLonger() {
        // Given a key retired now
        String retired = keys.signingKey().getKeyID();
        keys.rotate();

        // When a token it signed last could still be accepted
        clock.advance(TTL.plus(SigningKeys.CLOCK_SKEW).minusSeconds(1));
        // Then it is still published
        assertThat(kids()).contains(retired);

        // When no token it signed can be accepted any more
        clock.advance(Duration.ofSeconds(1));
        // Then it is gone, and so it stays after further rotations
        assertThat(kids()).doesNotContain(retired).hasSize(2);
        keys.rotate();
        assertThat(kids()).doesNotContain(retired).hasSize(3);
    }

    private List<String> kids() {
        return keys.publishedKeys().getKeys().stream().map(JWK::getKeyID).toList();
    }

    private static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package io.payledger.identity.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's RSA signing keys, in memory. One key signs ({@link #signingKey()}); the JWKS endpoint publishes
 * ({@link #publishedKeys()}) that key, the one that will sign after the next rotation (so a resource server that
 * refreshes its key set before then already knows it), and every retired key for as long as a token it signed
 * may still be accepted: the token TTL plus {@link #CLOCK_SKEW}, the leeway resource servers allow on {@code exp}.
 *
 * <p>{@link #rotate()} retires the signing key, promotes the next one and generates a new next one. Keys are never
 * written anywhere: a restart makes every outstanding token unverifiable, and callers simply fetch a new one.
 * For the same reason all instances behind one issuer URI would need the same keys: run one instance.
 */
public final class SigningKeys {

    /** Spring Security's resource servers accept a token up to 60 s past its {@code exp} by default. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final int KEY_SIZE = 2048;

    private record Retired(RSAKey publicKey, Instant publishedUntil) {
    }

    private record State(RSAKey signing, RSAKey next, List<Retired> retired) {
    }

    private final Duration retention;
    private final Clock clock;
    private volatile State state;

    /**
     * @param tokenTtl how long the tokens these keys sign are valid: a retired key stays published that long,
     *                 plus {@link #CLOCK_SKEW}, after it stops signing
     */
    public SigningKeys(Duration tokenTtl, Clock clock) {
        this.retention = tokenTtl.plus(CLOCK_SKEW);
        this.clock = clock;
        this.state = new State(generate(), generate(), List.of());
        log.info("Signing key {} in use; key {} signs after the next rotation", state.signing().getKeyID(),
                state.next().getKeyID());
    }

    /** The key that signs tokens now, private part included. */
    public RSAKey signingKey() {
        return state.signing();
    }

    /** The public keys a verifier may meet: the signing key, the next one and the retired ones still needed. */
    public JWKSet publishedKeys() {
        State current = state;
        Instant now = clock.instant();
        List<JWK> keys = new ArrayList<>();
        keys.add(current.signing().toPublicJWK());
        keys.add(current.next().toPublicJWK());
        for (Retired retired : current.retired()) {
            if (retired.publishedUntil().isAfter(now)) {
                keys.add(retired.publicKey());
            }
        }
        return new JWKSet(keys);
    }

    /**
     * Retires the signing key (it stays published for the token TTL plus {@link #CLOCK_SKEW}), makes the next key
     * the signing key and generates a new next key.
     *
     * @return the new signing key
     */
    public RSAKey rotate() {
        RSAKey newNext = generate();
        synchronized (this) {
            State current = state;
            Instant now = clock.instant();
            List<Retired> retired = new ArrayList<>();
            for (Retired key : current.retired()) {
                if (key.publishedUntil().isAfter(now)) {
                    retired.add(key);
                }
            }
            Instant until = now.plus(retention);
            retired.add(new Retired(current.signing().toPublicJWK(), until));
            state = new State(current.next(), newNext, List.copyOf(retired));
            log.info("Rotated signing keys: key {} signs now; key {} retired, published until {}",
                    state.signing().getKeyID(), current.signing().getKeyID(), until);
            return state.signing();
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(KEY_SIZE)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA signing key", e);
        }
    }
}

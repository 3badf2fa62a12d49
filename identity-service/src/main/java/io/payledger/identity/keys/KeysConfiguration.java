package io.payledger.identity.keys;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.payledger.identity.config.IdentityProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The keys: tokens are signed with the current key only, while the JWKS endpoint (and the issuer's own
 * {@code JwtDecoder}) see every published key.
 */
@Configuration(proxyBeanMethods = false)
public class KeysConfiguration {

    @Bean
    SigningKeys signingKeys(IdentityProperties properties) {
        return new SigningKeys(properties.tokenTtl(), Clock.systemUTC());
    }

    @Bean
    KeyRotationSchedule keyRotationSchedule(SigningKeys keys, IdentityProperties properties) {
        return new KeyRotationSchedule(keys, properties.keyRotation());
    }

    /** What {@code GET /oauth2/jwks} publishes. */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
        return (selector, context) -> selector.select(keys.publishedKeys());
    }

    /** Signs with the current key, naming it in the {@code kid} header. */
    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return new NimbusJwtEncoder((selector, context) -> selector.select(new JWKSet(keys.signingKey())));
    }
}

package io.payledger.benchmarks;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * The intake benchmark's only change to payment-service: a JWT decoder that verifies as the platform
 * does (signature from the issuer's JWKS, issuer, audience, expiry, not-before), or, while
 * {@link #VERIFY} is off, only parses the token, so one run compares intake with and without token
 * verification and nothing else differs. It exists in this module only; no service can be told to skip
 * verification.
 */
@Configuration(proxyBeanMethods = false)
public class SwitchableTokenVerification {

    static final AtomicBoolean VERIFY = new AtomicBoolean(true);

    private static final MappedJwtClaimSetConverter CLAIMS = MappedJwtClaimSetConverter.withDefaults(Map.of());

    @Bean
    JwtDecoder jwtDecoder(@Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer,
                          @Value("${spring.security.oauth2.resourceserver.jwt.audiences}") String audience) {
        JwtDecoder verifying = new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                    JwtValidators.createDefaultWithIssuer(issuer),
                    new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience))));
            return decoder;
        });
        return token -> VERIFY.get() ? verifying.decode(token) : parseOnly(token);
    }

    private static Jwt parseOnly(String token) {
        try {
            JWT parsed = JWTParser.parse(token);
            Map<String, Object> claimSet = CLAIMS.convert(parsed.getJWTClaimsSet().getClaims());
            return Jwt.withTokenValue(token)
                    .headers(headers -> headers.putAll(parsed.getHeader().toJSONObject()))
                    .claims(claims -> claims.putAll(claimSet))
                    .build();
        } catch (ParseException e) {
            throw new BadJwtException("not a JWT", e);
        }
    }
}

package io.payledger.identity.clients;

import io.payledger.identity.config.ClientSecretForms;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks a presented client secret against the configured one, in either form the configuration accepts:
 * {@code {bcrypt}<hash>} or {@code {noop}<plain text>} (compared in constant time). Secrets are never re-encoded,
 * since the configuration, not this service, is where they live.
 */
public final class ClientSecretEncoder implements PasswordEncoder {

    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();

    @Override
    public String encode(CharSequence rawPassword) {
        return ClientSecretForms.BCRYPT + bcrypt.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        if (encodedPassword.startsWith(ClientSecretForms.BCRYPT)) {
            return bcrypt.matches(rawPassword, encodedPassword.substring(ClientSecretForms.BCRYPT.length()));
        }
        if (encodedPassword.startsWith(ClientSecretForms.NOOP)) {
            byte[] expected = encodedPassword.substring(ClientSecretForms.NOOP.length()).getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(expected, rawPassword.toString().getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return false;
    }
}

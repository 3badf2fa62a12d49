package io.payledger.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a secured embedded broker is made of: a self-signed TLS key pair for {@code localhost} (PKCS12
 * keystore, and a truststore holding its certificate), the SCRAM users and their passwords, and the
 * password of the broker's internal listeners. Every password is made here, at random, unless the
 * caller gave a user's; none is ever logged or passed on a command line.
 */
final class BrokerSecurity {

    static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    static final String SECURED_LISTENER = "SASL_SSL";
    static final String INTERNAL_LISTENER = "INTERNAL";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String ADMIN_USER = "admin";

    /** SCRAM user names: ACL principals and JAAS values, so nothing that needs quoting. */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String KEY_ALIAS = "localhost";
    private static final String PASSWORD_VARIABLE = "PAYLEDGER_EMBEDDED_KAFKA_KEYSTORE_PASSWORD";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> users;
    private final String internalPassword;
    private final Path keystore;
    private final String keystorePassword;
    private final Path truststore;
    private final String truststorePassword;

    private BrokerSecurity(Map<String, String> users, String internalPassword, Path keystore, String keystorePassword,
                           Path truststore, String truststorePassword) {
        this.users = users;
        this.internalPassword = internalPassword;
        this.keystore = keystore;
        this.keystorePassword = keystorePassword;
        this.truststore = truststore;
        this.truststorePassword = truststorePassword;
    }

    /** Makes fresh TLS material in {@code tlsDirectory} and the passwords nobody gave. */
    static BrokerSecurity create(Map<String, String> givenUsers, Path tlsDirectory) {
        Map<String, String> users = new LinkedHashMap<>();
        users.put(ADMIN_USER, randomPassword());
        givenUsers.forEach((name, password) -> users.put(checkedName(name), checkedPassword(name, password)));
        Directories.created(tlsDirectory);
        Path keystore = tlsDirectory.resolve("broker.keystore.p12");
        Path truststore = tlsDirectory.resolve("truststore.p12");
        String keystorePassword = randomPassword();
        String truststorePassword = randomPassword();
        generateKeyPair(keystore, keystorePassword);
        writeTruststore(keystore, keystorePassword, truststore, truststorePassword);
        return new BrokerSecurity(java.util.Collections.unmodifiableMap(users), randomPassword(), keystore, keystorePassword, truststore,
                truststorePassword);
    }

    static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String checkedName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a SCRAM user name is 1-100 letters, digits, '.', '_' or '-': " + name);
        }
        return name;
    }

    private static String checkedPassword(String name, String password) {
        if (password == null || password.isEmpty() || password.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
            // The password goes into a JAAS configuration as a quoted value.
            throw new IllegalArgumentException("the password of SCRAM user " + name
                    + " must be non-empty, without quotes, backslashes or control characters");
        }
        return password;
    }

    /** The broker's listener, SASL and authorizer settings. */
    Map<String, String> brokerConfig(int securedPort, int internalPort, int controllerPort) {
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN_USER
                + "\" password=\"" + internalPassword + "\" user_" + ADMIN_USER + "=\"" + internalPassword + "\";";
        String secured = "listener.name." + SECURED_LISTENER.toLowerCase() + ".";
        String internal = "listener.name." + INTERNAL_LISTENER.toLowerCase() + ".";
        String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase() + ".";
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", SECURED_LISTENER + "://localhost:" + securedPort + "," + INTERNAL_LISTENER
                + "://localhost:" + internalPort + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        config.put("advertised.listeners", SECURED_LISTENER + "://localhost:" + securedPort + "," + INTERNAL_LISTENER
                + "://localhost:" + internalPort);
        config.put("listener.security.protocol.map", SECURED_LISTENER + ":SASL_SSL," + INTERNAL_LISTENER
                + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        config.put("inter.broker.listener.name", INTERNAL_LISTENER);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        // Clients: TLS, then SCRAM-SHA-512 against the credentials in the cluster's metadata.
        config.put(secured + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
        config.put(secured + SCRAM_MECHANISM.toLowerCase() + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        config.put(secured + "ssl.keystore.type", "PKCS12");
        config.put(secured + "ssl.keystore.location", keystore.toString());
        config.put(secured + "ssl.keystore.password", keystorePassword);
        config.put(secured + "ssl.key.password", keystorePassword);
        // The broker's own connections (transaction markers; to the controller), on localhost only: SASL/PLAIN
        // with a password that exists only in this JVM. Not SCRAM: those credentials live in the metadata the
        // controller serves, so the broker could not use them to reach the controller in the first place.
        config.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        config.put("sasl.mechanism.controller.protocol", "PLAIN");
        config.put(internal + "sasl.enabled.mechanisms", "PLAIN");
        config.put(internal + "plain.sasl.jaas.config", plain);
        config.put(controller + "sasl.enabled.mechanisms", "PLAIN");
        config.put(controller + "plain.sasl.jaas.config", plain);
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("allow.everyone.if.no.acl.found", "false");
        config.put("super.users", "User:" + ADMIN_USER);
        return config;
    }

    /** Admin settings for the broker's internal listener, as the super user. */
    Map<String, Object> internalAdminConfig(int internalPort) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", "localhost:" + internalPort);
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "PLAIN");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + ADMIN_USER + "\" password=\"" + internalPassword + "\";");
        return config;
    }

    /** Client settings (no bootstrap servers) of {@code user} with {@code password}, right or wrong. */
    Map<String, String> clientProperties(String user, String password) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", SCRAM_MECHANISM);
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + checkedName(user) + "\" password=\"" + checkedPassword(user, password) + "\";");
        config.put("ssl.truststore.type", "PKCS12");
        config.put("ssl.truststore.location", truststore.toString());
        config.put("ssl.truststore.password", truststorePassword);
        return config;
    }

    Map<String, String> users() {
        return users;
    }

    String password(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no SCRAM user " + user + " on this broker; users: " + users.keySet());
        }
        return password;
    }

    Path truststore() {
        return truststore;
    }

    String truststorePassword() {
        return truststorePassword;
    }

    /** Every secret of this broker, for tests that prove none is logged. */
    List<String> secrets() {
        List<String> secrets = new java.util.ArrayList<>(users.values());
        secrets.add(internalPassword);
        secrets.add(keystorePassword);
        secrets.add(truststorePassword);
        return List.copyOf(secrets);
    }

    /**
     * A self-signed EC key pair for {@code localhost} (and 127.0.0.1), made by the JDK's own keytool, so no
     * library is needed. The password reaches keytool through its environment, never its command line.
     */
    private static void generateKeyPair(Path keystore, String password) {
        try {
            Files.deleteIfExists(keystore);
            String executable = System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "keytool.exe"
                    : "keytool";
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", executable)
                    .toString(), "-genkeypair", "-alias", KEY_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-validity", "825", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE)
                    .redirectErrorStream(true);
            builder.environment().put(PASSWORD_VARIABLE, password);
            Process process = builder.start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool could not make a key pair in " + keystore + ": "
                        + new String(output, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void writeTruststore(Path keystore, String keystorePassword, Path truststore,
                                        String truststorePassword) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, keystorePassword.toCharArray());
            }
            Certificate certificate = keys.getCertificate(KEY_ALIAS);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("payledger-embedded-kafka", certificate);
            try (OutputStream out = Files.newOutputStream(truststore)) {
                trusted.store(out, truststorePassword.toCharArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + truststore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not write " + truststore, e);
        }
    }
}

package io.payledger.testsupport;

import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.infra.EmbeddedPostgresServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One real Kafka broker and one real PostgreSQL per test JVM, started on first use and stopped when
 * the JVM exits. Integration tests share them and keep out of each other's way with their own
 * account IDs, payment IDs and, where needed, databases.
 */
public final class SharedInfrastructure {

    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedPostgresServer postgres;

    private SharedInfrastructure() {
    }

    public static synchronized EmbeddedKafkaBroker kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafkaBroker.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-shutdown"));
        }
        return kafka;
    }

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "embedded-postgres-shutdown"));
        }
        return postgres;
    }

    public static String kafkaBootstrapServers() {
        return kafka().bootstrapServers();
    }

    /**
     * Spring properties that point a service at the shared broker and database. A Spring Boot test
     * registers them with {@link SharedInfrastructureInitializer}.
     */
    public static Map<String, String> serviceProperties() {
        Map<String, String> properties = serviceWithoutDatabaseProperties();
        properties.put("spring.datasource.url", postgres().jdbcUrl());
        properties.put("spring.datasource.username", postgres().username());
        properties.put("spring.datasource.password", postgres().password());
        return properties;
    }

    /**
     * Spring properties that point a service without a database at the shared broker and the shared
     * issuer ({@link SharedIssuer}). A Spring Boot test registers them with {@link SharedBrokerInitializer}.
     */
    public static Map<String, String> serviceWithoutDatabaseProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("payledger.kafka.bootstrap-servers", kafkaBootstrapServers());
        // Every service is a resource server of the shared issuer, on a management port of its own.
        properties.putAll(SharedIssuer.resourceServerProperties());
        properties.putAll(SharedIssuer.rateLimitProperties());
        properties.put("management.server.port", "0");
        return properties;
    }
}

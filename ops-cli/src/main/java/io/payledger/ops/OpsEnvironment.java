package io.payledger.ops;

import io.payledger.platform.messaging.KafkaSettings;
import io.payledger.schemas.serde.SerdeSettings;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import io.payledger.platform.persistence.PlatformJdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the platform's database and Kafka are, from the services' environment variables; Kafka clients
 * get the services' client settings too ({@code KAFKA_CLIENT_CONFIG}, a Kafka client properties file).
 */
record OpsEnvironment(String databaseUrl, String databaseUser, String databasePassword, String kafkaBootstrapServers,
                      String schemaRegistryUrl, String kafkaClientConfig, int kafkaPartitions,
                      short kafkaReplicationFactor) {

    static OpsEnvironment of(Map<String, String> env) {
        return new OpsEnvironment(env.getOrDefault("DATABASE_URL", "jdbc:postgresql://localhost:5432/payledger"),
                env.getOrDefault("DATABASE_USER", "payledger"), env.getOrDefault("DATABASE_PASSWORD", "payledger"),
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"), env.get("SCHEMA_REGISTRY_URL"),
                env.get("KAFKA_CLIENT_CONFIG"), Integer.parseInt(env.getOrDefault("KAFKA_PARTITIONS", "0")),
                Short.parseShort(env.getOrDefault("KAFKA_REPLICATION_FACTOR", "0")));
    }

    /**
     * The platform's one source of Kafka client settings, as the services build it; the topics' layout from
     * KAFKA_PARTITIONS and KAFKA_REPLICATION_FACTOR (the services' defaults where unset).
     */
    KafkaSettings kafka() {
        return new KafkaSettings(kafkaBootstrapServers, schemaRegistryUrl, kafkaPartitions, kafkaReplicationFactor,
                null, null, null, null, kafkaClientConfig);
    }

    /** The ledger's schema. */
    Jdbi ledger() {
        return schema("ledger");
    }

    /** payment-service's schema: its outbox. */
    Jdbi payment() {
        return schema("payment");
    }

    /** notification-service's schema: its webhook delivery log. */
    Jdbi notification() {
        return schema("notification");
    }

    private Jdbi schema(String schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(databaseUrl);
        dataSource.setUser(databaseUser);
        dataSource.setPassword(databasePassword);
        dataSource.setCurrentSchema(schema);
        return PlatformJdbi.create(dataSource);
    }

    SerdeSettings serdeSettings() {
        return SerdeSettings.fromRegistryUrl(schemaRegistryUrl);
    }
}

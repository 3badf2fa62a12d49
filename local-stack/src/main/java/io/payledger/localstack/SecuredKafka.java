package io.payledger.localstack;

import io.payledger.infra.EmbeddedKafkaBroker;
import io.payledger.ops.acl.PlatformAcls;
import io.payledger.platform.messaging.KafkaSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack on a secured embedded broker ({@link LocalStack.Options#withSecuredKafka()}): each service a
 * SCRAM user of its own, {@code User:<service>}, with a client properties file of its own; before any service
 * starts, the operator's part done as {@code User:admin}: the platform's topics created and the ACLs of
 * {@link PlatformAcls} applied, exactly as {@code payledger-ops topics --execute} and {@code acls --execute} do.
 */
final class SecuredKafka {

    private static final Logger log = LoggerFactory.getLogger(SecuredKafka.class);

    private SecuredKafka() {
    }

    /** A SCRAM user with a random password for each service. */
    static EmbeddedKafkaBroker.Builder users(EmbeddedKafkaBroker.Builder builder) {
        PlatformAcls.SERVICES.forEach(builder::scramUser);
        return builder;
    }

    /**
     * Creates the topics and ACLs, and writes each service's client properties file.
     *
     * @return the client properties file per service name
     */
    static Map<String, Path> prepare(EmbeddedKafkaBroker kafka, LocalStack.Options options) {
        PlatformAcls acls = PlatformAcls.defaults();
        Map<String, Object> admin = new HashMap<>(kafka.clientProperties(EmbeddedKafkaBroker.ADMIN_USER));
        admin.put("bootstrap.servers", kafka.bootstrapServers());
        KafkaSettings layout = new KafkaSettings(kafka.bootstrapServers(), null,
                Integer.parseInt(options.extraProperties().getOrDefault("payledger.kafka.partitions", "0")),
                Short.parseShort(options.extraProperties().getOrDefault("payledger.kafka.replication-factor", "0")),
                null, null, null);
        try (Admin client = Admin.create(admin)) {
            createTopics(client, acls.topics(layout));
            client.createAcls(acls.bindings()).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create the platform's topics and ACLs as User:admin", e);
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (String service : PlatformAcls.SERVICES) {
            files.put(service, kafka.writeClientProperties(service));
        }
        log.info("Kafka secured: {} ACL bindings, each service its own SCRAM user ({})", acls.bindings().size(),
                String.join(", ", files.keySet()));
        return files;
    }

    private static void createTopics(Admin admin, List<NewTopic> topics)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        CreateTopicsResult created = admin.createTopics(topics);
        for (NewTopic topic : topics) {
            try {
                created.values().get(topic.name()).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}

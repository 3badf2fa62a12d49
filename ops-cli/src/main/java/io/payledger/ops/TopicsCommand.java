package io.payledger.ops;

import io.payledger.ops.acl.PlatformAcls;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@code topics}: the topics the operator creates before the services start on a cluster with ACLs, where no
 * service may create the platform's topics: every platform topic and its dead-letter topic (as the services
 * declare them; KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR), and each producer's command topic. A dry run says
 * which are missing; {@code --execute} creates those, as the cluster's super user.
 */
final class TopicsCommand {

    private final OpsEnvironment environment;
    private final PrintStream out;

    TopicsCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(List<String> arguments) throws Exception {
        Options options = Options.parse(arguments, Set.of("producer"), Set.of("execute"));
        PlatformAcls model = AclsCommand.model(options);
        List<NewTopic> topics = model.topics(environment.kafka());
        try (Admin admin = Admin.create(environment.kafka().adminConfig("payledger-ops.topics"))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic.name())).toList();
            for (NewTopic topic : topics) {
                String config = topic.configs() == null || topic.configs().isEmpty() ? "" : " " + topic.configs();
                out.printf("  %-45s %3d partitions, replication factor %d%s: %s%n", topic.name(), topic.numPartitions(),
                        topic.replicationFactor(), config, existing.contains(topic.name()) ? "exists" : "MISSING");
            }
            if (!options.flag("execute")) {
                out.printf("dry run: %d of %d missing, nothing changed; add --execute to create them%n", missing.size(),
                        topics.size());
                return 0;
            }
            CreateTopicsResult created = admin.createTopics(missing);
            for (NewTopic topic : missing) {
                try {
                    created.values().get(topic.name()).get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            out.printf("created %d topics; %d were there already%n", missing.size(), topics.size() - missing.size());
            return 0;
        }
    }
}

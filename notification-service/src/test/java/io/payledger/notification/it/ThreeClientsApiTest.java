package io.payledger.notification.it;

import static io.payledger.notification.it.NotificationTestSupport.CLIENT_A;
import static io.payledger.notification.it.NotificationTestSupport.CLIENT_B;
import static io.payledger.notification.it.NotificationTestSupport.OPERATOR;

import io.payledger.testsupport.HttpApi;
import io.payledger.testsupport.KafkaTestClient;
import io.payledger.testsupport.SharedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An API test of the running service as its callers see it: the operator and two clients, each with its own token,
 * and a Kafka client to publish the events the service consumes.
 */
abstract class ThreeClientsApiTest {

    @LocalServerPort
    int port;

    final KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.kafkaBootstrapServers());
    HttpApi operator;
    HttpApi clientA;
    HttpApi clientB;

    @BeforeEach
    void clients() {
        operator = NotificationTestSupport.api(port, OPERATOR);
        clientA = NotificationTestSupport.api(port, CLIENT_A);
        clientB = NotificationTestSupport.api(port, CLIENT_B);
    }
}

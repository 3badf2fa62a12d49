package io.payledger.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.fraud.config.FraudConfig;
import io.payledger.ledger.config.LedgerMessagingConfig;
import io.payledger.notification.config.NotificationConfig;
import io.payledger.ops.acl.PlatformAcls;
import io.payledger.payment.config.PaymentMessagingConfig;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/**
 * The ACL model (ops-cli, which depends on no service) names the services' consumer groups, relays and
 * Kafka Streams application ID; here, where every service is on the classpath, they are checked against the
 * services' own constants, so a renamed group fails this test rather than a secured deployment.
 */
class PlatformAclsMatchTheServicesTest {

    @Test
    void theAclModelNamesTheServicesOwnGroupsRelaysAndApplicationId() throws Exception {
        assertThat(PlatformAcls.PAYMENT_COMMANDS_GROUP).isEqualTo(constant(PaymentMessagingConfig.class, "CONSUMER_GROUP"));
        assertThat(PlatformAcls.PAYMENT_OUTCOMES_GROUP)
                .isEqualTo(constant(PaymentMessagingConfig.class, "OUTCOMES_CONSUMER_GROUP"));
        assertThat(PlatformAcls.PAYMENT_ACCOUNTS_GROUP)
                .isEqualTo(constant(PaymentMessagingConfig.class, "ACCOUNTS_CONSUMER_GROUP"));
        assertThat(PlatformAcls.PAYMENT_OUTBOX_RELAY).isEqualTo(constant(PaymentMessagingConfig.class, "RELAY_NAME"));
        assertThat(PlatformAcls.LEDGER_GROUP).isEqualTo(constant(LedgerMessagingConfig.class, "CONSUMER_GROUP"));
        assertThat(PlatformAcls.LEDGER_EVENTS_RELAY).isEqualTo(constant(LedgerMessagingConfig.class, "RELAY_NAME"));
        assertThat(PlatformAcls.NOTIFICATION_GROUP).isEqualTo(constant(NotificationConfig.class, "CONSUMER_GROUP"));
        assertThat(PlatformAcls.NOTIFICATION_ACCOUNTS_GROUP)
                .isEqualTo(constant(NotificationConfig.class, "ACCOUNTS_CONSUMER_GROUP"));
        assertThat(PlatformAcls.FRAUD_APPLICATION_ID).isEqualTo(constant(FraudConfig.class, "APPLICATION_ID"));
        // payment-service's groups share the prefix its group ACL is granted on.
        assertThat(PlatformAcls.PAYMENT_COMMANDS_GROUP).startsWith(PlatformAcls.PAYMENT_SERVICE);
        assertThat(PlatformAcls.PAYMENT_OUTCOMES_GROUP).startsWith(PlatformAcls.PAYMENT_SERVICE);
        assertThat(PlatformAcls.PAYMENT_ACCOUNTS_GROUP).startsWith(PlatformAcls.PAYMENT_SERVICE);
    }

    private static String constant(Class<?> type, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return (String) field.get(null);
    }
}

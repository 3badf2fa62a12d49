package io.payledger.notification.web;

import io.payledger.platform.security.EndpointScopes;
import io.payledger.platform.security.Scopes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The scope each notification endpoint needs; whose notifications a caller sees is the controller's to decide. */
@Configuration(proxyBeanMethods = false)
public class NotificationApiScopes {

    @Bean
    EndpointScopes endpointScopes() {
        return EndpointScopes.define()
                .get("/v1/notifications", Scopes.NOTIFICATIONS_READ)
                .get("/v1/accounts/{accountId}/notifications", Scopes.NOTIFICATIONS_READ);
    }
}

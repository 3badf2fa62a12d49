package io.payledger.notification.web;

import io.payledger.platform.security.EndpointScopes;
import io.payledger.platform.security.Scopes;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.context.annotation.Configuration;

/** The scope each notification endpoint needs; whose notifications a caller sees is the controller's to decide. */
@Configuration(proxyBeanMethods = false)
public class NotificationApiScopes {

    @Bean
    EndpointScopes endpointScopes() {
        return EndpointScopes.define()
                .get("/v1/notifications", Scopes.NOTIFICATIONS_READ)
                .get("/v1/accounts/{accountId}/notifications", Scopes.NOTIFICATIONS_READ)
                .post("/v1/webhooks", Scopes.WEBHOOKS)
                .get("/v1/webhooks", Scopes.WEBHOOKS)
                .get("/v1/webhooks/{id}", Scopes.WEBHOOKS)
                .rule(HttpMethod.DELETE, "/v1/webhooks/{id}", Scopes.WEBHOOKS)
                .get("/v1/webhooks/{id}/deliveries", Scopes.WEBHOOKS)
                .post("/v1/webhooks/{id}/deliveries/{deliveryId}/redrive", Scopes.WEBHOOKS)
                .post("/v1/webhooks/{id}/redrive", Scopes.WEBHOOKS);
    }
}

package io.payledger.payment.web;

import io.payledger.platform.security.EndpointScopes;
import io.payledger.platform.security.Scopes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The scope each payment endpoint needs; which payments a caller sees is the controller's to decide. */
@Configuration(proxyBeanMethods = false)
public class PaymentApiScopes {

    @Bean
    EndpointScopes endpointScopes() {
        return EndpointScopes.define()
                .post("/v1/payments", Scopes.PAYMENTS_WRITE)
                .post("/v1/payments/batch", Scopes.PAYMENTS_WRITE)
                .get("/v1/payments", Scopes.PAYMENTS_READ)
                .get("/v1/payments/{paymentId}", Scopes.PAYMENTS_READ);
    }
}

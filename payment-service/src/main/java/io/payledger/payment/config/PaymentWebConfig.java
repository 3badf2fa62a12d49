package io.payledger.payment.config;

import io.payledger.platform.web.ProblemResponses;
import io.payledger.platform.web.TraceIdFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.ControllerAdvice;

@Configuration(proxyBeanMethods = false)
public class PaymentWebConfig {

    @Bean
    TraceIdFilter traceIdFilter() {
        return new TraceIdFilter();
    }

    @ControllerAdvice
    static class PaymentProblemResponses extends ProblemResponses {
    }
}

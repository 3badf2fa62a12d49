package io.payledger.ledger.config;

import io.payledger.platform.web.ProblemResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.ControllerAdvice;

@Configuration(proxyBeanMethods = false)
public class LedgerWebConfig {

    @ControllerAdvice
    static class LedgerProblemResponses extends ProblemResponses {
    }
}

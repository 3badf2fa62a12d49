package io.payledger.platform.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * What every service's HTTP edge shares, so each is as strict as the others: JSON input read strictly,
 * path and body limits, and every error answered as a problem, those Tomcat raises itself included.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, ErrorController.class})
public class PlatformWebAutoConfiguration {

    /** Limit of a request body; no request of the platform comes near it. */
    public static final String MAX_REQUEST_BODY_SIZE = "payledger.http.max-request-body-size";

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    @ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
    PlatformProblemResponses platformProblemResponses() {
        return new PlatformProblemResponses();
    }

    /** The request's trace ID, from the edge on through every service's logs and events. */
    @Bean
    @ConditionalOnMissingBean
    TraceIdFilter traceIdFilter(ObjectProvider<Tracer> tracer) {
        return new TraceIdFilter(tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    FilterRegistrationBean<LoadSheddingFilter> loadSheddingFilter(
            @Value("${payledger.http.max-concurrent-requests:64}") int maxConcurrentRequests,
            ObjectProvider<MeterRegistry> meters) {
        FilterRegistrationBean<LoadSheddingFilter> registration = new FilterRegistrationBean<>(
                new LoadSheddingFilter(maxConcurrentRequests, meters.getIfAvailable(SimpleMeterRegistry::new)));
        // After the observation filter, so shed requests are counted, and before any work is done for them.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 9);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestPathFilter> requestPathFilter() {
        FilterRegistrationBean<RequestPathFilter> registration = new FilterRegistrationBean<>(new RequestPathFilter());
        // After the observation filter, so refusals are counted, and before anything reads the path.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${" + MAX_REQUEST_BODY_SIZE + ":64KB}") DataSize maxRequestBodySize) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(maxRequestBodySize.toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapperBuilderCustomizer.class)
    static class StrictJsonInput {

        /**
         * A key given twice is refused, not read as its last value (a proxy in front may read the first);
         * so is anything after the document, and a number or boolean where text is expected (amounts
         * are decimal strings: a JSON number may already have been through a client's floating point).
         */
        @Bean
        JsonMapperBuilderCustomizer strictJsonInput() {
            return builder -> builder
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .withCoercionConfig(LogicalType.Textual, text -> text
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({TomcatServletWebServerFactory.class, ErrorReportValve.class})
    static class TomcatProblemReports {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    // Boot adds Tomcat's HTML ErrorReportValve in a customizer of its own, in an order not
                    // ours to rely on: replace it when the host starts, after every customizer has run.
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                    host.addLifecycleListener(event -> {
                        if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                            useProblemErrorReports(host.getPipeline());
                        }
                    });
                }
            });
        }

        static void useProblemErrorReports(Pipeline pipeline) {
            boolean installed = false;
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ProblemErrorReportValve) {
                    installed = true;
                } else if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                }
            }
            if (!installed) {
                pipeline.addValve(new ProblemErrorReportValve());
            }
        }
    }
}

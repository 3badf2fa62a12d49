package io.payledger.platform.security;

import java.util.List;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The paths of a service's OpenAPI document ({@code /v3/api-docs} and {@code /v3/api-docs.yaml}, served by
 * springdoc): public documentation, so GET on exactly these needs no token. Empty where the service has no
 * springdoc or has it switched off, so nothing else is ever opened by them.
 */
final class PublicApiDocs {

    static final String SPRINGDOC_RESOURCE = "org.springdoc.webmvc.api.OpenApiWebMvcResource";
    static final String DEFAULT_PATH = "/v3/api-docs";

    private PublicApiDocs() {
    }

    static List<String> paths(Environment environment) {
        if (!ClassUtils.isPresent(SPRINGDOC_RESOURCE, PublicApiDocs.class.getClassLoader())
                || !environment.getProperty("springdoc.api-docs.enabled", Boolean.class, true)) {
            return List.of();
        }
        String path = environment.getProperty("springdoc.api-docs.path", DEFAULT_PATH);
        return List.of(path, path + ".yaml");
    }
}

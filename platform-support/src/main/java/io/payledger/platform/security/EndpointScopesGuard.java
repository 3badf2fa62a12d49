package io.payledger.platform.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Refuses to start a service with a controller endpoint that no {@link EndpointScopes} rule names, so
 * an endpoint someone adds is never open to any valid token by omission.
 */
final class EndpointScopesGuard implements SmartInitializingSingleton {

    private final RequestMappingHandlerMapping mappings;
    private final EndpointScopes scopes;
    /** GET on these is public ({@link PublicApiDocs}); any other method on them still needs a rule. */
    private final List<String> publicGets;

    EndpointScopesGuard(RequestMappingHandlerMapping mappings, EndpointScopes scopes, List<String> publicGets) {
        this.mappings = mappings;
        this.scopes = scopes;
        this.publicGets = List.copyOf(publicGets);
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> uncovered = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (ErrorController.class.isAssignableFrom(handler.getBeanType())) {
                return;
            }
            for (String pattern : patterns(info)) {
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    if (method == RequestMethod.GET && publicGets.contains(pattern)) {
                        continue;
                    }
                    if (!scopes.covers(method.asHttpMethod(), pattern)) {
                        uncovered.add(method + " " + pattern);
                    }
                }
                if (info.getMethodsCondition().getMethods().isEmpty()) {
                    uncovered.add("(any method) " + pattern);
                }
            }
        });
        if (!uncovered.isEmpty()) {
            throw new IllegalStateException("Endpoints without a scope rule in the service's EndpointScopes bean: "
                    + uncovered + ". Name the scope each one needs.");
        }
    }

    private static java.util.Set<String> patterns(RequestMappingInfo info) {
        return info.getPatternValues();
    }
}

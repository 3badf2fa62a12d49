package io.payledger.platform.web;

import io.payledger.platform.security.Caller;
import io.payledger.platform.security.EndpointScopes;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/**
 * What every service's OpenAPI document shares, stated once (springdoc generates the rest from the controllers;
 * its settings are in payledger-defaults.properties): the title from {@code spring.application.name}, the bearer
 * JWT scheme, each operation's scopes from the service's {@link EndpointScopes} (the rules the filter chain
 * enforces, so the document cannot disagree with them), the problem+json refusals every endpoint shares and each
 * endpoint's own ({@link ProblemResponse}). A service without springdoc on its class path gets none of it.
 */
@AutoConfiguration(beforeName = "org.springdoc.core.configuration.SpringDocConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({GlobalOpenApiCustomizer.class, OpenAPI.class})
public class PlatformOpenApiAutoConfiguration {

    /** The name of the security scheme every operation requires. */
    public static final String BEARER_JWT = "bearer-jwt";
    static final String PROBLEM_SCHEMA = "Problem";
    static final String PROBLEM_TYPES_EXTENSION = "x-problem-types";
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    static {
        // The caller comes from the token (CallerArgumentResolver), not from the request's parameters.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class)
                // /error is where refusals are rendered, no operation of the API.
                .addHiddenRestControllers(ProblemErrorController.class);
    }

    @Bean
    @ConditionalOnMissingBean
    OpenAPI payledgerOpenApi(@Value("${spring.application.name}") String serviceName,
                            @Value("${payledger.api.version:1}") String apiVersion) {
        return new OpenAPI()
                .info(new Info()
                        .title(serviceName)
                        .version(apiVersion)
                        .description("The " + serviceName + " HTTP API of payledger. Every operation needs a bearer "
                                + "JWT from the platform's OAuth2 issuer (client credentials) with one of the scopes "
                                + "its security requirement lists. Every error is application/problem+json "
                                + "(RFC 9457) with a stable type, urn:payledger:problem:<name>; the types an "
                                + "operation answers with are listed in each response's x-problem-types."))
                .components(new Components()
                        .addSecuritySchemes(BEARER_JWT, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .bearerFormat("JWT")
                                .description("An access token (RS256 or ES256 JWT) from the issuer's /oauth2/token, "
                                        + "for audience payledger. Its scope claim grants the scopes each operation's "
                                        + "security requirement names; any one of an operation's requirements "
                                        + "suffices."))
                        .addSchemas(PROBLEM_SCHEMA, problemSchema()));
    }

    /** Each operation's security requirement: one per scope that grants it, as the filter chain checks them. */
    @Bean
    GlobalOpenApiCustomizer openApiScopeRequirements(ObjectProvider<EndpointScopes> scopes) {
        return openApi -> {
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                // Seen in the exception handlers' signatures; the Problem schema says what they write.
                openApi.getComponents().getSchemas().remove("ProblemDetail");
            }
            if (openApi.getPaths() == null) {
                return;
            }
            List<EndpointScopes.Rule> rules = scopes.getIfAvailable(EndpointScopes::define).rules();
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                Set<String> anyOf = rules.stream()
                        .filter(rule -> rule.pattern().equals(path) && rule.method().name().equals(method.name()))
                        .findFirst()
                        .<Set<String>>map(rule -> new TreeSet<>(rule.anyOf()))
                        .orElse(Set.of());
                List<SecurityRequirement> requirements = new ArrayList<>();
                for (String scope : anyOf) {
                    requirements.add(new SecurityRequirement().addList(BEARER_JWT, scope));
                }
                if (requirements.isEmpty()) {
                    requirements.add(new SecurityRequirement().addList(BEARER_JWT));
                }
                operation.setSecurity(requirements);
            }));
        };
    }

    /** The endpoint's own refusals and those every endpoint shares, each status once, its types listed. */
    @Bean
    GlobalOperationCustomizer openApiProblemResponses() {
        return (operation, handler) -> {
            Map<String, Map<String, String>> typesByStatus = new TreeMap<>();
            for (ProblemResponse problem : problemResponses(handler)) {
                for (String type : problem.types()) {
                    typesByStatus.computeIfAbsent(Integer.toString(problem.status()), s -> new TreeMap<>())
                            .put(type, problem.description());
                }
            }
            commonRefusals(operation).forEach((status, types) -> types.forEach((type, when) ->
                    typesByStatus.computeIfAbsent(status, s -> new TreeMap<>()).putIfAbsent(type, when)));
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            typesByStatus.forEach((status, types) -> responses.addApiResponse(status, problemResponse(status, types)));
            operation.setResponses(responses);
            return operation;
        };
    }

    private static List<ProblemResponse> problemResponses(HandlerMethod handler) {
        return Stream.concat(
                        AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getBeanType(), ProblemResponse.class)
                                .stream(),
                        AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(), ProblemResponse.class)
                                .stream())
                .toList();
    }

    /** What any endpoint may answer whatever it does; the type names are the ones the platform's layers use. */
    private static Map<String, Map<String, String>> commonRefusals(Operation operation) {
        Map<String, Map<String, String>> common = new LinkedHashMap<>();
        common.put("400", Map.of(ProblemTypes.MALFORMED_REQUEST,
                "the request cannot be read: request line, path, headers, query string or JSON body"));
        common.put("401", Map.of("unauthorized", "no bearer token, or one that is not valid (WWW-Authenticate says why)"));
        common.put("403", Map.of("insufficient-scope", "the token has none of the scopes the operation needs"));
        if (operation.getRequestBody() != null) {
            common.put("413", Map.of(ProblemTypes.REQUEST_BODY_TOO_LARGE, "a body over 64 KB"));
            common.put("415", Map.of(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "a body that is not application/json"));
        }
        common.put("429", Map.of("too-many-requests", "over the client's rate limit; retry after Retry-After"));
        common.put("500", Map.of(ProblemTypes.INTERNAL_ERROR, "a fault of the service's; safe to retry"));
        common.put("503", Map.of(LoadSheddingFilter.TYPE,
                "the instance is working on its maximum of requests already; retry after Retry-After"));
        return common;
    }

    private static ApiResponse problemResponse(String status, Map<String, String> types) {
        // Types that share a description share a line: "- `a`, `b`: when".
        Map<String, List<String>> typesByWhen = new LinkedHashMap<>();
        types.forEach((type, when) -> typesByWhen.computeIfAbsent(when, w -> new ArrayList<>()).add("`" + type + "`"));
        StringBuilder description = new StringBuilder(reasonPhrase(status)).append(". Problem types:");
        typesByWhen.forEach((when, named) -> description.append("\n- ").append(String.join(", ", named))
                .append(when.isEmpty() ? "" : ": " + when));
        ApiResponse response = new ApiResponse()
                .description(description.toString())
                .content(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA))));
        response.addExtension(PROBLEM_TYPES_EXTENSION,
                types.keySet().stream().map(type -> ProblemTypes.uri(type).toString()).toList());
        if (status.equals("429") || status.equals("503")) {
            response.addHeaderObject("Retry-After", new Header()
                    .description("Seconds to wait before retrying (with the same Idempotency-Key, if any)")
                    .schema(typed("integer")));
        }
        return response;
    }

    private static String reasonPhrase(String status) {
        HttpStatus known = HttpStatus.resolve(Integer.parseInt(status));
        return known == null ? "Error" : known.getReasonPhrase();
    }

    /** RFC 9457's members as every payledger service writes them (ProblemResponses, ProblemJson). */
    private static Schema<?> problemSchema() {
        Schema<?> problem = typed("object")
                .description("A refusal (RFC 9457). Clients switch on type, never on title or detail.")
                .required(List.of("type", "title", "status", "detail"));
        problem.addProperty("type", typed("string").format("uri")
                .description("Stable problem type, urn:payledger:problem:<name>")
                .example("urn:payledger:problem:invalid-amount"));
        problem.addProperty("title", typed("string").description("Short summary of the problem type"));
        problem.addProperty("status", typed("integer").format("int32").description("The HTTP status code"));
        problem.addProperty("detail", typed("string").description("What was wrong with this request, to act on"));
        problem.addProperty("instance", typed("string").format("uri").description("The request's path, when known"));
        return problem;
    }

    /** A schema of one JSON type, written the same in OpenAPI 3.0 ({@code type}) and 3.1 ({@code types}). */
    private static Schema<Object> typed(String type) {
        Schema<Object> schema = new Schema<>();
        schema.setType(type);
        schema.setTypes(new java.util.LinkedHashSet<>(Arrays.asList(type)));
        return schema;
    }
}

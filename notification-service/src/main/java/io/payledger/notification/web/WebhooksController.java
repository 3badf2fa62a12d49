package io.payledger.notification.web;

import io.payledger.notification.domain.AccountOwners;
import io.payledger.notification.domain.DeliveryStatus;
import io.payledger.notification.domain.EndpointStates;
import io.payledger.notification.domain.WebhookDelivery;
import io.payledger.notification.domain.WebhookEventType;
import io.payledger.notification.domain.WebhookSecrets;
import io.payledger.notification.domain.WebhookStore;
import io.payledger.notification.domain.WebhookSubscription;
import io.payledger.platform.ids.AccountIds;
import io.payledger.platform.rules.ProducerText;
import io.payledger.platform.security.Caller;
import io.payledger.platform.web.ApiProblem;
import io.payledger.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook subscriptions: a client subscribes a URL to some event types of its own accounts, and sees, deletes and
 * redrives its subscriptions' deliveries. A subscription is its creator's (and operators'): anyone else gets the
 * same 404 as for one that does not exist. An account the caller does not own is refused with the same 422
 * whether it exists or not, so subscribing reveals nothing about other clients' accounts.
 */
@RestController
@RequestMapping("/v1/webhooks")
@Tag(name = "Webhooks", description = "Subscribe URLs to your accounts' notifications; see and redrive deliveries")
public class WebhooksController {

    static final String INVALID_WEBHOOK = "invalid-webhook";
    static final String WEBHOOK_NOT_FOUND = "webhook-not-found";
    static final String ACCOUNT_NOT_FOUND = "webhook-account-not-found";
    static final String DELIVERY_NOT_FOUND = "webhook-delivery-not-found";
    static final String DELIVERY_NOT_DEAD = "webhook-delivery-not-dead";
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_ITEMS = 100;
    static final int MAX_PAGE = 500;

    private final WebhookStore webhooks;
    private final AccountOwners owners;
    private final EndpointStates endpoints;
    private final Clock clock;
    private final boolean requireHttps;

    public WebhooksController(WebhookStore webhooks, AccountOwners owners, EndpointStates endpoints,
                              @Value("${payledger.webhooks.require-https:false}") boolean requireHttps) {
        this.webhooks = webhooks;
        this.owners = owners;
        this.endpoints = endpoints;
        this.clock = Clock.systemUTC();
        this.requireHttps = requireHttps;
    }

    static final String EVENT_TYPES = "payment.accepted, payment.rejected, payment.posted, payment.declined, "
            + "payment.received";

    @Schema(description = "A subscription: which event types of which of the caller's accounts to POST to url")
    public record CreateWebhookRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "uri", maxLength = MAX_URL_LENGTH,
                    description = "An absolute http or https URL with a host and no user info (https only where "
                            + "WEBHOOK_REQUIRE_HTTPS=true)", example = "https://example.com/payledger") String url,
            @ArraySchema(arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED, description = "1-100 of: "
                    + EVENT_TYPES, example = "[\"payment.posted\", \"payment.received\"]"), minItems = 1,
                    maxItems = MAX_ITEMS, schema = @Schema(allowableValues = {"payment.accepted", "payment.rejected",
                    "payment.posted", "payment.declined", "payment.received"})) List<String> eventTypes,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "1-100 account IDs, each the caller's own "
                    + "(operators: any)", example = "[\"alice\"]") List<String> accounts) {
    }

    @Schema(requiredProperties = {"id", "owner", "url", "eventTypes", "accounts", "createdAt"})
    public record WebhookView(
            @Schema(format = "uuid") String id,
            @Schema(description = "Client ID of the client that created it") String owner,
            String url,
            List<String> eventTypes,
            List<String> accounts,
            @Schema(format = "date-time") String createdAt) {
        static WebhookView of(WebhookSubscription s) {
            return new WebhookView(s.subscriptionId().toString(), s.owner(), s.url(), s.eventTypes(), s.accountIds(),
                    s.createdAt().toString());
        }
    }

    /** The creation response: the only time the signing secret is shown. */
    @Schema(requiredProperties = {"id", "owner", "url", "eventTypes", "accounts", "createdAt", "secret"})
    public record CreatedWebhookView(
            @Schema(format = "uuid") String id,
            String owner,
            String url,
            List<String> eventTypes,
            List<String> accounts,
            @Schema(format = "date-time") String createdAt,
            @Schema(description = "The signing secret, whsec_ and 32 random bytes base64url; shown only here",
                    example = "whsec_...") String secret) {
    }

    @Schema(requiredProperties = {"id", "owner", "url", "eventTypes", "accounts", "createdAt", "circuitBreaker",
            "pending", "dead"})
    public record WebhookDetailView(
            @Schema(format = "uuid") String id,
            String owner,
            String url,
            List<String> eventTypes,
            List<String> accounts,
            @Schema(format = "date-time") String createdAt,
            @Schema(description = "The state of this instance's circuit breaker for the URL: CLOSED, OPEN or "
                    + "HALF_OPEN", example = "CLOSED") String circuitBreaker,
            @Schema(description = "Deliveries waiting to be made") long pending,
            @Schema(description = "Deliveries given up on, to redrive") long dead) {
    }

    @Schema(requiredProperties = {"deliveryId", "position", "notificationId", "accountId", "eventType", "status",
            "attempts", "nextAttemptAt", "lastError", "createdAt", "deliveredAt", "deadAt"})
    public record DeliveryView(
            @Schema(format = "uuid") String deliveryId,
            long position,
            @Schema(format = "uuid") String notificationId,
            String accountId,
            @Schema(example = "payment.posted") String eventType,
            @Schema(allowableValues = {"PENDING", "DELIVERED", "DEAD", "CANCELLED"}) String status,
            int attempts,
            @Schema(types = {"string", "null"}, format = "date-time", description = "Set while PENDING")
            String nextAttemptAt,
            @Schema(types = {"string", "null"}) String lastError,
            @Schema(format = "date-time") String createdAt,
            @Schema(types = {"string", "null"}, format = "date-time") String deliveredAt,
            @Schema(types = {"string", "null"}, format = "date-time") String deadAt) {
        static DeliveryView of(WebhookDelivery d) {
            return new DeliveryView(d.deliveryId().toString(), d.position(), d.notificationId().toString(),
                    d.accountId(), d.eventType(), d.status().name(), d.attempts(),
                    d.status() == DeliveryStatus.PENDING ? d.nextAttemptAt().toString() : null,
                    d.lastError().orElse(null), d.createdAt().toString(),
                    d.deliveredAt().map(Instant::toString).orElse(null), d.deadAt().map(Instant::toString).orElse(null));
        }
    }

    @PostMapping
    @Operation(operationId = "createWebhook", summary = "Subscribe a URL to event types of the caller's accounts",
            description = "Each matching notification is POSTed to the URL, signed with the secret this response "
                    + "alone shows.")
    @ApiResponse(responseCode = "201", description = "Subscribed", headers = @Header(name = "Location",
            description = "The webhook's URL, /v1/webhooks/{id}", schema = @Schema(type = "string")))
    @ProblemResponse(status = 400, types = INVALID_WEBHOOK, description = "url, eventTypes or accounts not valid")
    @ProblemResponse(status = 422, types = ACCOUNT_NOT_FOUND,
            description = "an account that is not the caller's, whether or not it exists")
    public ResponseEntity<CreatedWebhookView> create(@io.swagger.v3.oas.annotations.parameters.RequestBody(
                                                             required = true)
                                                     @RequestBody(required = false) CreateWebhookRequest request,
                                                     Caller caller) {
        if (request == null) {
            throw invalid("a JSON body with url, eventTypes and accounts is required");
        }
        String url = url(request.url());
        List<String> eventTypes = eventTypes(request.eventTypes());
        List<String> accounts = accounts(request.accounts());
        for (String account : accounts) {
            // Operators may subscribe any account; a client only its own (unknown and others' look the same).
            if (!caller.isOperator() && !owners.ownerOf(account).map(caller.clientId()::equals).orElse(false)) {
                throw ApiProblem.unprocessable(ACCOUNT_NOT_FOUND, "you have no account " + ProducerText.quote(account));
            }
        }
        WebhookSubscription subscription = new WebhookSubscription(UUID.randomUUID(), caller.clientId(), url,
                eventTypes, accounts, WebhookSecrets.generate(), clock.instant());
        webhooks.create(subscription);
        return ResponseEntity.created(URI.create("/v1/webhooks/" + subscription.subscriptionId()))
                .body(new CreatedWebhookView(subscription.subscriptionId().toString(), subscription.owner(), url,
                        eventTypes, accounts, subscription.createdAt().toString(), subscription.secret()));
    }

    @GetMapping
    @Operation(operationId = "listWebhooks", summary = "List the caller's webhooks (operators: everyone's)")
    @ApiResponse(responseCode = "200", description = "The webhooks")
    public List<WebhookView> list(Caller caller) {
        return webhooks.list(caller.isOperator() ? null : caller.clientId()).stream().map(WebhookView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getWebhook", summary = "Get a webhook, its circuit breaker and its delivery counts")
    @ApiResponse(responseCode = "200", description = "The webhook")
    @ProblemResponse(status = 404, types = WEBHOOK_NOT_FOUND, description = "no such webhook, or not the caller's")
    public WebhookDetailView get(@Parameter(schema = @Schema(type = "string", format = "uuid")) @PathVariable String id,
                                 Caller caller) {
        WebhookSubscription s = visible(id, caller);
        return new WebhookDetailView(s.subscriptionId().toString(), s.owner(), s.url(), s.eventTypes(), s.accountIds(),
                s.createdAt().toString(), endpoints.breakerState(s.subscriptionId()),
                webhooks.count(s.subscriptionId(), DeliveryStatus.PENDING),
                webhooks.count(s.subscriptionId(), DeliveryStatus.DEAD));
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook",
            description = "Nothing new is enqueued for it; its pending deliveries become CANCELLED.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemResponse(status = 404, types = WEBHOOK_NOT_FOUND, description = "no such webhook, or not the caller's")
    public ResponseEntity<Void> delete(@Parameter(schema = @Schema(type = "string", format = "uuid"))
                                       @PathVariable String id, Caller caller) {
        WebhookSubscription s = visible(id, caller);
        webhooks.delete(s.subscriptionId(), clock.instant());
        endpoints.forget(s.subscriptionId());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "List a webhook's deliveries in one status",
            description = "Oldest first.")
    @ApiResponse(responseCode = "200", description = "The deliveries")
    @ProblemResponse(status = 400, types = INVALID_WEBHOOK, description = "status or limit not valid")
    @ProblemResponse(status = 404, types = WEBHOOK_NOT_FOUND, description = "no such webhook, or not the caller's")
    public List<DeliveryView> deliveries(@Parameter(schema = @Schema(type = "string", format = "uuid"))
                                         @PathVariable String id,
                                         @Parameter(schema = @Schema(type = "string", defaultValue = "DEAD",
                                                 allowableValues = {"PENDING", "DELIVERED", "DEAD", "CANCELLED"}))
                                         @RequestParam(defaultValue = "DEAD") String status,
                                         @Parameter(schema = @Schema(type = "integer", format = "int32",
                                                 minimum = "1", maximum = "500", defaultValue = "50"))
                                         @RequestParam(defaultValue = "50") int limit, Caller caller) {
        WebhookSubscription s = visible(id, caller);
        DeliveryStatus wanted;
        try {
            wanted = DeliveryStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("status must be one of PENDING, DELIVERED, DEAD, CANCELLED");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw invalid("limit must be between 1 and " + MAX_PAGE);
        }
        return webhooks.deliveries(s.subscriptionId(), wanted, limit).stream().map(DeliveryView::of).toList();
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/redrive")
    @Operation(operationId = "redriveWebhookDelivery", summary = "Redrive a dead delivery",
            description = "The DEAD delivery becomes PENDING again, its attempts reset, due now.")
    @ApiResponse(responseCode = "200", description = "The delivery, PENDING")
    @ProblemResponse(status = 404, types = {WEBHOOK_NOT_FOUND, DELIVERY_NOT_FOUND},
            description = "no such webhook or delivery, or not the caller's")
    @ProblemResponse(status = 409, types = DELIVERY_NOT_DEAD, description = "only a DEAD delivery is redriven")
    public DeliveryView redrive(@Parameter(schema = @Schema(type = "string", format = "uuid")) @PathVariable String id,
                                @Parameter(schema = @Schema(type = "string", format = "uuid"))
                                @PathVariable String deliveryId, Caller caller) {
        WebhookSubscription s = visible(id, caller);
        UUID delivery = uuid(deliveryId).orElseThrow(() -> deliveryNotFound(deliveryId));
        if (!webhooks.redrive(s.subscriptionId(), delivery, clock.instant())) {
            webhooks.delivery(s.subscriptionId(), delivery).orElseThrow(() -> deliveryNotFound(deliveryId));
            throw ApiProblem.conflict(DELIVERY_NOT_DEAD, "delivery " + deliveryId + " is not dead: only a DEAD"
                    + " delivery is redriven");
        }
        return webhooks.delivery(s.subscriptionId(), delivery).map(DeliveryView::of)
                .orElseThrow(() -> deliveryNotFound(deliveryId));
    }

    @PostMapping("/{id}/redrive")
    @Operation(operationId = "redriveWebhook", summary = "Redrive every dead delivery of a webhook",
            description = "Each DEAD delivery becomes PENDING again, its attempts reset, due now.")
    @ApiResponse(responseCode = "200", description = "How many deliveries were redriven", content = @Content(
            mediaType = "application/json", schemaProperties = @SchemaProperty(name = "redriven",
            schema = @Schema(type = "integer", format = "int32", requiredMode = RequiredMode.REQUIRED))))
    @ProblemResponse(status = 404, types = WEBHOOK_NOT_FOUND, description = "no such webhook, or not the caller's")
    public Map<String, Integer> redriveAll(@Parameter(schema = @Schema(type = "string", format = "uuid"))
                                           @PathVariable String id, Caller caller) {
        WebhookSubscription s = visible(id, caller);
        return Map.of("redriven", webhooks.redriveAll(s.subscriptionId(), clock.instant()));
    }

    private WebhookSubscription visible(String id, Caller caller) {
        return uuid(id).flatMap(webhooks::find)
                .filter(s -> caller.maySee(s.owner()))
                .orElseThrow(() -> ApiProblem.notFound(WEBHOOK_NOT_FOUND, "no webhook " + ProducerText.quote(id)));
    }

    private String url(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("url is required: an absolute http or https URL");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw invalid("url must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw invalid("url must be an absolute http or https URL with a host");
        }
        if (requireHttps && !scheme.equals("https")) {
            throw invalid("url must be https");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("url must not carry credentials (user info): deliveries are signed instead");
        }
        return url;
    }

    private static List<String> eventTypes(List<String> eventTypes) {
        List<String> types = distinct(eventTypes, "eventTypes");
        for (String type : types) {
            if (WebhookEventType.parse(type).isEmpty()) {
                throw invalid("unknown event type " + ProducerText.quote(type) + "; known: " + knownTypes());
            }
        }
        return types;
    }

    private static List<String> accounts(List<String> accounts) {
        List<String> ids = distinct(accounts, "accounts");
        for (String account : ids) {
            if (!AccountIds.isValid(account)) {
                throw invalid("account " + ProducerText.quote(account) + " is not " + AccountIds.RULE);
            }
        }
        return ids;
    }

    private static List<String> distinct(List<String> values, String field) {
        if (values == null || values.isEmpty() || values.size() > MAX_ITEMS) {
            throw invalid(field + " must list 1 to " + MAX_ITEMS + " values");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null) {
                throw invalid(field + " must not contain null");
            }
            distinct.add(value);
        }
        return new ArrayList<>(distinct);
    }

    private static String knownTypes() {
        return java.util.Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).toList().toString();
    }

    private static Optional<UUID> uuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ApiProblem invalid(String detail) {
        return ApiProblem.badRequest(INVALID_WEBHOOK, detail);
    }

    private static ApiProblem deliveryNotFound(String deliveryId) {
        return ApiProblem.notFound(DELIVERY_NOT_FOUND, "no delivery " + ProducerText.quote(deliveryId));
    }
}

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

    public record CreateWebhookRequest(String url, List<String> eventTypes, List<String> accounts) {
    }

    public record WebhookView(String id, String owner, String url, List<String> eventTypes, List<String> accounts,
                              String createdAt) {
        static WebhookView of(WebhookSubscription s) {
            return new WebhookView(s.subscriptionId().toString(), s.owner(), s.url(), s.eventTypes(), s.accountIds(),
                    s.createdAt().toString());
        }
    }

    /** The creation response: the only time the signing secret is shown. */
    public record CreatedWebhookView(String id, String owner, String url, List<String> eventTypes,
                                     List<String> accounts, String createdAt, String secret) {
    }

    public record WebhookDetailView(String id, String owner, String url, List<String> eventTypes,
                                    List<String> accounts, String createdAt, String circuitBreaker, long pending,
                                    long dead) {
    }

    public record DeliveryView(String deliveryId, long position, String notificationId, String accountId,
                               String eventType, String status, int attempts, String nextAttemptAt, String lastError,
                               String createdAt, String deliveredAt, String deadAt) {
        static DeliveryView of(WebhookDelivery d) {
            return new DeliveryView(d.deliveryId().toString(), d.position(), d.notificationId().toString(),
                    d.accountId(), d.eventType(), d.status().name(), d.attempts(),
                    d.status() == DeliveryStatus.PENDING ? d.nextAttemptAt().toString() : null,
                    d.lastError().orElse(null), d.createdAt().toString(),
                    d.deliveredAt().map(Instant::toString).orElse(null), d.deadAt().map(Instant::toString).orElse(null));
        }
    }

    @PostMapping
    public ResponseEntity<CreatedWebhookView> create(@RequestBody(required = false) CreateWebhookRequest request,
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
    public List<WebhookView> list(Caller caller) {
        return webhooks.list(caller.isOperator() ? null : caller.clientId()).stream().map(WebhookView::of).toList();
    }

    @GetMapping("/{id}")
    public WebhookDetailView get(@PathVariable String id, Caller caller) {
        WebhookSubscription s = visible(id, caller);
        return new WebhookDetailView(s.subscriptionId().toString(), s.owner(), s.url(), s.eventTypes(), s.accountIds(),
                s.createdAt().toString(), endpoints.breakerState(s.subscriptionId()),
                webhooks.count(s.subscriptionId(), DeliveryStatus.PENDING),
                webhooks.count(s.subscriptionId(), DeliveryStatus.DEAD));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id, Caller caller) {
        WebhookSubscription s = visible(id, caller);
        webhooks.delete(s.subscriptionId(), clock.instant());
        endpoints.forget(s.subscriptionId());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/deliveries")
    public List<DeliveryView> deliveries(@PathVariable String id, @RequestParam(defaultValue = "DEAD") String status,
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
    public DeliveryView redrive(@PathVariable String id, @PathVariable String deliveryId, Caller caller) {
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
    public Map<String, Integer> redriveAll(@PathVariable String id, Caller caller) {
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

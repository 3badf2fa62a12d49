package io.payledger.notification.web;

import io.payledger.notification.domain.AccountOwners;
import io.payledger.notification.domain.InboxEntry;
import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationStore;
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
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's inbox: every notification sent to it (as payer or payee), newest first, a page at a time.
 * It is the account's owner's, as this service copied it from {@code ledger.accounts}, and every
 * operator's. Anyone else, an account this service has not heard of, and an ID that no account can have
 * get the same 404, which says no more than that this caller has no such account.
 */
@RestController
@RequestMapping("/v1/accounts/{accountId}/notifications")
@Tag(name = "Notifications", description = "What was sent to whom about a payment")
public class AccountInboxController {

    static final String ACCOUNT_NOT_FOUND = "account-not-found";
    static final String INVALID_PAGE = "invalid-page";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    /** Plain decimal digits, few enough to fit a long. */
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    private final NotificationStore notifications;
    private final AccountOwners owners;

    public AccountInboxController(NotificationStore notifications, AccountOwners owners) {
        this.notifications = notifications;
        this.owners = owners;
    }

    @Schema(requiredProperties = {"notificationId", "paymentId", "kind", "message", "createdAt", "deliveredAt",
            "position"})
    public record InboxNotification(
            @Schema(format = "uuid") String notificationId,
            String paymentId,
            @Schema(allowableValues = {"PAYMENT_ACCEPTED", "PAYMENT_REJECTED", "PAYMENT_POSTED", "PAYMENT_DECLINED",
                    "PAYMENT_RECEIVED"}) String kind,
            String message,
            @Schema(format = "date-time") String createdAt,
            @Schema(types = {"string", "null"}, format = "date-time") String deliveredAt,
            @Schema(description = "The notification's place in the inbox, for before") long position) {
        static InboxNotification of(InboxEntry entry) {
            Notification n = entry.notification();
            return new InboxNotification(n.notificationId().toString(), n.paymentId(), n.kind().name(), n.message(),
                    n.createdAt().toString(), n.deliveredAt().map(Object::toString).orElse(null), entry.position());
        }
    }

    /** A page of the inbox, newest first; {@code next} is the link to the older page, null on the last one. */
    @Schema(requiredProperties = {"accountId", "notifications", "next"})
    public record InboxPage(
            String accountId,
            @Schema(description = "Newest first") List<InboxNotification> notifications,
            @Schema(types = {"string", "null"}, description = "The link to the older page; null on the last page",
                    example = "/v1/accounts/alice/notifications?limit=50&before=1234") String next) {
    }

    @GetMapping
    @Operation(operationId = "getAccountInbox", summary = "Page through an account's inbox, newest first",
            description = "Every notification sent to the account, as payer or payee. Answered to the account's "
                    + "owner and to operators; anyone else, and an account not seen yet, get the same 404. Not a "
                    + "change feed: to hear of each new notification, subscribe a webhook.")
    @ApiResponse(responseCode = "200", description = "A page of the inbox")
    @ProblemResponse(status = 400, types = INVALID_PAGE, description = "limit or before is not a whole number in range")
    @ProblemResponse(status = 404, types = ACCOUNT_NOT_FOUND, description = "no such account known to the caller")
    public InboxPage inbox(@PathVariable String accountId,
                           @Parameter(description = "Notifications per page", schema = @Schema(type = "integer",
                                   minimum = "1", maximum = "200", defaultValue = "50"))
                           @RequestParam(required = false) String limit,
                           @Parameter(description = "Only notifications older than this position (as in a next link)",
                                   schema = @Schema(type = "integer", format = "int64", minimum = "1"))
                           @RequestParam(required = false) String before,
                           Caller caller) {
        int pageSize = limit == null ? DEFAULT_LIMIT : (int) number(limit, MAX_LIMIT, "limit must be a whole number "
                + "from 1 to " + MAX_LIMIT);
        long beforePosition = before == null ? Long.MAX_VALUE : number(before, Long.MAX_VALUE, "before must be a "
                + "notification's position (a whole number from 1), as in a next link");
        // Operators read every account's inbox; an account whose owner is unknown (null) is nobody else's.
        if (!AccountIds.isValid(accountId) || !caller.maySee(owners.ownerOf(accountId).orElse(null))) {
            throw ApiProblem.notFound(ACCOUNT_NOT_FOUND, "no account " + ProducerText.quote(accountId));
        }
        // One more than the page shows whether an older page exists, so the last page has no next link.
        List<InboxEntry> entries = notifications.inbox(accountId, beforePosition, pageSize + 1);
        List<InboxEntry> page = entries.subList(0, Math.min(pageSize, entries.size()));
        String next = entries.size() > pageSize
                ? "/v1/accounts/" + accountId + "/notifications?limit=" + pageSize + "&before="
                        + page.get(page.size() - 1).position()
                : null;
        return new InboxPage(accountId, page.stream().map(InboxNotification::of).toList(), next);
    }

    /** A whole number from 1 to {@code max}, in plain decimal digits (no sign, spaces or exponent). */
    private static long number(String value, long max, String rule) {
        long number = NUMBER.matcher(value).matches() ? Long.parseLong(value) : 0;
        if (number < 1 || number > max) {
            throw ApiProblem.badRequest(INVALID_PAGE, rule + ", got " + ProducerText.quote(value));
        }
        return number;
    }
}

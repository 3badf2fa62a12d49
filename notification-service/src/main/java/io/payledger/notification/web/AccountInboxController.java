package io.payledger.notification.web;

import io.payledger.notification.domain.AccountOwners;
import io.payledger.notification.domain.InboxEntry;
import io.payledger.notification.domain.Notification;
import io.payledger.notification.domain.NotificationStore;
import io.payledger.platform.ids.AccountIds;
import io.payledger.platform.rules.ProducerText;
import io.payledger.platform.security.Caller;
import io.payledger.platform.web.ApiProblem;
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

    public record InboxNotification(String notificationId, String paymentId, String kind, String message,
                                    String createdAt, String deliveredAt, long position) {
        static InboxNotification of(InboxEntry entry) {
            Notification n = entry.notification();
            return new InboxNotification(n.notificationId().toString(), n.paymentId(), n.kind().name(), n.message(),
                    n.createdAt().toString(), n.deliveredAt().map(Object::toString).orElse(null), entry.position());
        }
    }

    /** A page of the inbox, newest first; {@code next} is the link to the older page, null on the last one. */
    public record InboxPage(String accountId, List<InboxNotification> notifications, String next) {
    }

    @GetMapping
    public InboxPage inbox(@PathVariable String accountId,
                           @RequestParam(required = false) String limit,
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

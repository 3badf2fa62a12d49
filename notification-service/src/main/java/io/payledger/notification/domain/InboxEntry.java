package io.payledger.notification.domain;

/**
 * A notification in its recipient account's inbox, at its {@code position}: positions grow with each
 * notification recorded, so an account's inbox is newest first by descending position.
 */
public record InboxEntry(long position, Notification notification) {
}

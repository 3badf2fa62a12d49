package io.payledger.ledger.domain;

/** Whether an account may go below zero. */
public enum AccountType {
    /** A customer's money: a payment that would overdraw it is declined. */
    CUSTOMER,
    /** Settlement and funding accounts: may go negative (their balance is what the platform owes or is owed). */
    SYSTEM;

    public boolean mayGoNegative() {
        return this == SYSTEM;
    }
}

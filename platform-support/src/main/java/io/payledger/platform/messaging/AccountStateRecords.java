package io.payledger.platform.messaging;

import io.payledger.events.AccountState;
import io.payledger.platform.ids.AccountIds;
import io.payledger.platform.money.Money;
import io.payledger.platform.rules.PaymentRules;
import io.payledger.platform.rules.ProducerText;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What every copy of the ledger's accounts (payment-service's, notification-service's) checks of a
 * {@code ledger.accounts} record before it copies it. The topic is compacted by key, so a state filed under
 * another account's key would replace that account's state for good. And the ledger opens only accounts that
 * obey the platform's rules (an account ID of {@value AccountIds#RULE}, an ISO 4217 currency with a minor unit),
 * so a state that breaks them is none of the ledger's: copied, it would be an account that intake accepts
 * payments to and the ledger does not have, or text the copy cannot even store.
 */
public final class AccountStateRecords {

    /** The longest client ID an owner may be, as the identity service issues them. */
    public static final int MAX_OWNER_LENGTH = 255;

    private AccountStateRecords() {
    }

    /**
     * @throws PoisonRecordException unless the record is keyed by the account ID its state names, and the state
     *     names an account as the ledger opens them: a valid account ID, a supported currency, a valid event ID
     *     and an owner that is a client ID (or none)
     */
    public static void requireCopyable(AccountState state, ConsumerRecord<byte[], byte[]> record) {
        requireKeyedByItsAccount(state, record);
        if (!AccountIds.isValid(state.getAccountId())) {
            throw new PoisonRecordException("account state for " + ProducerText.quote(state.getAccountId())
                    + ": not an account ID (" + AccountIds.RULE + ")");
        }
        if (!Money.isSupportedCurrency(state.getCurrency())) {
            throw new PoisonRecordException("account " + state.getAccountId() + " in currency "
                    + ProducerText.quote(state.getCurrency()) + ": not an ISO 4217 code with a minor unit");
        }
        PaymentRules.checkEventId(state.getEventId()).ifPresent(violation -> {
            throw new PoisonRecordException("account " + state.getAccountId() + ": " + violation.message());
        });
        String owner = state.getOwner();
        if (owner != null && (owner.isBlank() || owner.length() > MAX_OWNER_LENGTH || !ProducerText.isPrintable(owner))) {
            throw new PoisonRecordException("account " + state.getAccountId() + " names no usable client as its owner: "
                    + ProducerText.quote(owner));
        }
    }

    /** @throws PoisonRecordException unless the record is keyed by the account ID its state names */
    public static void requireKeyedByItsAccount(AccountState state, ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (state.getAccountId().isEmpty() || !state.getAccountId().equals(key)) {
            throw new PoisonRecordException("account state for " + ProducerText.quote(state.getAccountId())
                    + " keyed by " + ProducerText.quote(key) + ": the key must be the account ID");
        }
    }
}

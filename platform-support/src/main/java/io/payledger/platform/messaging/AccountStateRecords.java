package io.payledger.platform.messaging;

import io.payledger.events.AccountState;
import io.payledger.platform.rules.ProducerText;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What every copy of the ledger's accounts (payment-service's, notification-service's) checks of a
 * {@code ledger.accounts} record before it copies it. The topic is compacted by key, so a state filed under
 * another account's key would replace that account's state for good.
 */
public final class AccountStateRecords {

    private AccountStateRecords() {
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

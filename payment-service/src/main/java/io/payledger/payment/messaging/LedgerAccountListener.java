package io.payledger.payment.messaging;

import io.payledger.events.AccountState;
import io.payledger.payment.accounts.AccountCopy;
import io.payledger.platform.messaging.AccountStateRecords;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordHandlers;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps {@link AccountCopy} from the ledger's {@code ledger.accounts}: one idempotent upsert per state. */
public final class LedgerAccountListener {

    private static final Logger log = LoggerFactory.getLogger(LedgerAccountListener.class);

    private final RecordHandlers handlers;
    private final DeadLetterPublisher deadLetters;
    private final AccountCopy copy;

    public LedgerAccountListener(SerdeSettings serdeSettings, DeadLetterPublisher deadLetters, AccountCopy copy) {
        this.handlers = new RecordHandlers(serdeSettings).onRecord(Topics.LEDGER_ACCOUNTS, AccountState.class,
                this::onAccountState);
        this.deadLetters = deadLetters;
        this.copy = copy;
    }

    public void onRecord(ConsumerRecord<byte[], byte[]> record) {
        try (RecordLogContext ignored = RecordLogContext.of(record.headers())) {
            handlers.dispatch(record);
        } catch (PoisonRecordException e) {
            deadLetters.publish(record, e);
        }
    }

    private void onAccountState(AccountState state, ConsumerRecord<byte[], byte[]> record) {
        AccountStateRecords.requireCopyable(state, record);
        copy.record(state);
        log.debug("Account {} is {}", state.getAccountId(), state.getStatus());
    }
}

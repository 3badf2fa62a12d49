package io.payledger.notification.messaging;

import io.payledger.events.AccountState;
import io.payledger.notification.domain.AccountOwners;
import io.payledger.platform.messaging.AccountStateRecords;
import io.payledger.platform.messaging.DeadLetterPublisher;
import io.payledger.platform.messaging.PoisonRecordException;
import io.payledger.platform.messaging.RecordHandlers;
import io.payledger.platform.messaging.RecordLogContext;
import io.payledger.platform.rules.ProducerText;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Keeps {@link AccountOwners} from the ledger's {@code ledger.accounts}: one idempotent upsert per state. */
public final class AccountStateListener {

    private static final int MAX_CLIENT_ID_LENGTH = 255;

    private final RecordHandlers handlers;
    private final DeadLetterPublisher deadLetters;
    private final AccountOwners owners;

    public AccountStateListener(SerdeSettings serdeSettings, DeadLetterPublisher deadLetters, AccountOwners owners) {
        this.handlers = new RecordHandlers(serdeSettings).onRecord(Topics.LEDGER_ACCOUNTS, AccountState.class,
                this::onAccountState);
        this.deadLetters = deadLetters;
        this.owners = owners;
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
        String owner = state.getOwner();
        if (owner != null && (owner.isBlank() || owner.length() > MAX_CLIENT_ID_LENGTH
                || !ProducerText.isPrintable(owner))) {
            throw new PoisonRecordException("account " + ProducerText.quote(state.getAccountId())
                    + " names no usable client as its owner: " + ProducerText.quote(owner));
        }
        owners.record(state.getAccountId(), owner, state.getEventId());
    }
}

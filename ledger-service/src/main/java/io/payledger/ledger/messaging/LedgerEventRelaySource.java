package io.payledger.ledger.messaging;

import io.payledger.events.AccountState;
import io.payledger.events.EntryPosted;
import io.payledger.ledger.domain.Entry;
import io.payledger.ledger.domain.LedgerTransaction;
import io.payledger.ledger.persistence.JournalReader;
import io.payledger.ledger.persistence.JournalReader.Journaled;
import io.payledger.ledger.persistence.JournalReader.JournaledAccount;
import io.payledger.ledger.persistence.JournalReader.JournaledTransaction;
import io.payledger.platform.relay.RelayChunk;
import io.payledger.platform.relay.RelayPosition;
import io.payledger.platform.relay.RelaySource;
import io.payledger.platform.relay.RelayedMessage;
import io.payledger.platform.tracing.RecordTracing;
import io.payledger.schemas.serde.SerdeSettings;
import io.payledger.schemas.topic.Topics;
import io.payledger.schemas.topic.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Turns journaled transactions into {@code ledger.transactions} (keyed by source account) and
 * {@code ledger.entries} (keyed by the entry's account) records, and opened accounts into
 * {@code ledger.accounts} records (keyed by account ID), in commit order.
 */
public final class LedgerEventRelaySource implements RelaySource {

    private final JournalReader journal;
    private final Serializer<SpecificRecord> outcomes;
    private final Serializer<EntryPosted> entries;
    private final Serializer<AccountState> accounts;

    public LedgerEventRelaySource(JournalReader journal, SerdeSettings serdeSettings) {
        this.journal = journal;
        this.outcomes = Topics.LEDGER_TRANSACTIONS.valueSerde(serdeSettings).serializer();
        this.entries = Topics.LEDGER_ENTRIES.valueSerde(serdeSettings).serializer();
        this.accounts = Topics.LEDGER_ACCOUNTS.valueSerde(serdeSettings).serializer();
    }

    @Override
    public RelayChunk fetchAfter(RelayPosition after, int maxRows) {
        List<Journaled> journaled = journal.after(after, maxRows);
        if (journaled.isEmpty()) {
            return RelayChunk.empty(after);
        }
        List<RelayedMessage> messages = new ArrayList<>(journaled.size() * 3);
        for (Journaled row : journaled) {
            if (row instanceof JournaledAccount opened) {
                String accountsTopic = Topics.LEDGER_ACCOUNTS.name();
                AccountState state = LedgerEvents.accountState(opened.account());
                messages.add(new RelayedMessage(accountsTopic, utf8(state.getAccountId()),
                        accounts.serialize(accountsTopic, state), Map.of()));
                continue;
            }
            LedgerTransaction tx = ((JournaledTransaction) row).transaction();
            Map<String, String> headers = new HashMap<>();
            headers.put(TraceHeaders.PAYMENT_ID, tx.transactionId().toString());
            if (tx.payment().traceId() != null) {
                headers.put(TraceHeaders.TRACE_ID, tx.payment().traceId());
            }
            if (tx.payment().traceParent() != null) {
                headers.put(RecordTracing.TRACEPARENT, tx.payment().traceParent());
            }
            String outcomeTopic = Topics.LEDGER_TRANSACTIONS.name();
            messages.add(new RelayedMessage(outcomeTopic, utf8(tx.payment().sourceAccountId()),
                    outcomes.serialize(outcomeTopic, LedgerEvents.outcome(tx)), headers));
            for (Entry entry : tx.entries()) {
                String entriesTopic = Topics.LEDGER_ENTRIES.name();
                messages.add(new RelayedMessage(entriesTopic, utf8(entry.accountId()),
                        entries.serialize(entriesTopic, LedgerEvents.entryPosted(entry)), headers));
            }
        }
        return new RelayChunk(messages, journaled.get(journaled.size() - 1).position());
    }

    @Override
    public OptionalLong backlogAfter(RelayPosition after) {
        return OptionalLong.of(journal.countAfter(after));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

package io.payledger.platform.messaging;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.events.AccountState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class AccountStateRecordsTest {

    @Test
    void aStateAsTheLedgerPublishesItIsCopied() {
        assertThatCode(() -> AccountStateRecords.requireCopyable(state("alice-usd", "USD", "demo-wallet"),
                keyed("alice-usd"))).doesNotThrowAnyException();
        assertThatCode(() -> AccountStateRecords.requireCopyable(state("bank", "JPY", null), keyed("bank")))
                .doesNotThrowAnyException();
    }

    @Test
    void aStateUnderAnotherAccountsKeyIsPoison() {
        assertThatThrownBy(() -> AccountStateRecords.requireCopyable(state("mallory", "USD", null), keyed("alice")))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("the key must be the account ID");
    }

    @Test
    void aStateTheLedgerCouldNotHaveWrittenIsPoison() {
        String tenKb = "a".repeat(10_240);
        assertThatThrownBy(() -> AccountStateRecords.requireCopyable(state(tenKb, "USD", null), keyed(tenKb)))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("not an account ID");
        assertThatThrownBy(() -> AccountStateRecords.requireCopyable(state("nul\u0000", "USD", null), keyed("nul\u0000")))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("not an account ID");
        assertThatThrownBy(() -> AccountStateRecords.requireCopyable(state("zed", "ZZZ", null), keyed("zed")))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("ZZZ");
        assertThatThrownBy(() -> AccountStateRecords.requireCopyable(state("xxx", "XXX", null), keyed("xxx")))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("XXX");
        assertThatThrownBy(() -> AccountStateRecords.requireCopyable(state("bob", "USD", "demo\u0000wallet"),
                keyed("bob"))).isInstanceOf(PoisonRecordException.class).hasMessageContaining("owner");
        AccountState longEventId = AccountState.newBuilder(state("carol", "USD", null)).setEventId("e".repeat(129))
                .build();
        assertThatThrownBy(() -> AccountStateRecords.requireCopyable(longEventId, keyed("carol")))
                .isInstanceOf(PoisonRecordException.class).hasMessageContaining("event ID");
    }

    private static AccountState state(String accountId, String currency, String owner) {
        return AccountState.newBuilder().setEventId(UUID.randomUUID().toString()).setAccountId(accountId)
                .setCurrency(currency).setType("CUSTOMER").setOwner(owner).setStatus("OPEN")
                .setOpenedAt(Instant.now()).build();
    }

    private static ConsumerRecord<byte[], byte[]> keyed(String key) {
        return new ConsumerRecord<>("ledger.accounts", 0, 0L, key.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}

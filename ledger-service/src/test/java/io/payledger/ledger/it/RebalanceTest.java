package io.payledger.ledger.it;

import static io.payledger.ledger.it.LedgerTestSupport.approved;
import static io.payledger.ledger.it.LedgerTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.books.BooksVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

@LedgerIntegrationTest
class RebalanceTest {

    @LocalServerPort
    int port;

    @Autowired
    ConcurrentMessageListenerContainer<byte[], byte[]> fraudDecisionContainer;

    @Autowired
    Jdbi jdbi;

    @Test
    void consumersJoiningAndLeavingMidStreamApplyEveryPaymentOnce() throws Exception {
        // Given
        LedgerTestSupport ledger = new LedgerTestSupport(port);
        String bank = unique("bank");
        List<String> customers = new ArrayList<>();
        ledger.openAccount(bank, "USD", "SYSTEM");
        for (int i = 0; i < 6; i++) {
            customers.add(unique("c" + i));
            ledger.openAccount(customers.get(i), "USD", "CUSTOMER");
        }
        List<String> payments = new ArrayList<>();

        try {
            // When payments keep arriving while the group grows to three consumers and shrinks back to one
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 20; i++) {
                    String from = round == 0 ? bank : customers.get(i % customers.size());
                    String to = customers.get((i + 1) % customers.size());
                    String payment = UUID.randomUUID().toString();
                    payments.add(payment);
                    ledger.send(approved(payment, round == 0 ? bank : from, to, round == 0 ? 10_000 : 7, "USD"));
                }
                fraudDecisionContainer.stop();
                fraudDecisionContainer.setConcurrency(round % 2 == 0 ? 3 : 1);
                fraudDecisionContainer.start();
            }

            // Then each payment has exactly one outcome and the books hold
            ledger.outcomesFor(payments.toArray(String[]::new));
            java.util.Map<String, Long> outcomes = LedgerTestSupport.decodeOutcomes(
                            ledger.kafka.readAll(io.payledger.schemas.topic.Topics.LEDGER_TRANSACTIONS.name())).stream()
                    .map(LedgerTestSupport::paymentIdOf).filter(payments::contains)
                    .collect(java.util.stream.Collectors.groupingBy(id -> id, java.util.stream.Collectors.counting()));
            assertThat(outcomes).hasSize(payments.size());
            assertThat(outcomes.values()).allMatch(count -> count == 1);
            long applied = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM transactions WHERE transaction_id = ANY(:ids)")
                    .bindArray("ids", UUID.class, payments.stream().map(UUID::fromString).toList())
                    .mapTo(Long.class).one());
            assertThat(applied).isEqualTo(payments.size());
            assertThat(new BooksVerifier(jdbi).verify().holds()).isTrue();
        } finally {
            fraudDecisionContainer.stop();
            fraudDecisionContainer.setConcurrency(1);
            fraudDecisionContainer.start();
        }
    }
}

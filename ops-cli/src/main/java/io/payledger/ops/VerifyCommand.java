package io.payledger.ops;

import io.payledger.books.BooksVerifier;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * {@code verify}: prints each invariant's verdict and exits non-zero if any is breached. With
 * {@code --since} and/or {@code --from-sequence} it checks a range of each account's entries instead of
 * the whole book ({@link RangeVerifier}). It says how long it took, and while it runs longer than a few
 * seconds, what it is doing.
 */
final class VerifyCommand {

    private final OpsEnvironment environment;
    private final PrintStream out;

    VerifyCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(List<String> arguments) {
        Options options = Options.parse(arguments, Set.of("since", "from-sequence"), Set.of("events"));
        Instant since = options.value("since").map(VerifyCommand::instant).orElse(null);
        Long fromSequence = options.value("from-sequence").map(VerifyCommand::sequence).orElse(null);
        try (Progress progress = new Progress(out, "verify")) {
            boolean holds;
            if (since == null && fromSequence == null) {
                progress.stage("checking every invariant of the books");
                BooksVerifier.Report books = new BooksVerifier(environment.ledger()).verify();
                out.printf("books: %d accounts, %d transactions, %d entries%n", books.accounts(), books.transactions(),
                        books.entries());
                holds = print(books.checks());
            } else {
                RangeVerifier range = new RangeVerifier(environment.ledger(), since, fromSequence);
                RangeVerifier.Report books = range.verify(progress::stage);
                out.printf("books, %s: %d accounts, %d transactions, %d entries%n", range.describe(), books.accounts(),
                        books.transactions(), books.entries());
                holds = print(books.checks());
            }
            if (options.flag("events")) {
                progress.stage("reading ledger.transactions and ledger.entries");
                EventLogVerifier.Report events = new EventLogVerifier(environment.kafka()).verify();
                out.printf("events: %d outcomes, %d entries%n", events.outcomes(), events.entries());
                if (events.undecodableCount() > 0) {
                    // Not the ledger's events (its consumers dead-letter them): left out of the checks, named here.
                    out.printf("  (%d records that do not decode left out, e.g. %s)%n", events.undecodableCount(),
                            String.join(", ", events.undecodable()));
                }
                holds &= print(events.checks());
            }
            out.println(holds ? "VERDICT: the books hold" : "VERDICT: BREACH");
            out.println("verify took " + progress.elapsed());
            return holds ? 0 : 1;
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since needs an ISO instant such as 2026-11-24T10:00:00Z, not " + value);
        }
    }

    private static long sequence(String value) {
        try {
            long sequence = Long.parseLong(value);
            if (sequence >= 1) {
                return sequence;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("--from-sequence needs a sequence number of 1 or more, not " + value);
    }

    private boolean print(List<BooksVerifier.Check> checks) {
        boolean holds = true;
        for (BooksVerifier.Check check : checks) {
            out.printf("  [%s] %s%s%n", check.holds() ? "ok" : "BREACH", check.invariant(),
                    check.holds() ? "" : " (" + check.breaches() + ")");
            check.examples().forEach(example -> out.println("      " + example));
            holds &= check.holds();
        }
        return holds;
    }
}

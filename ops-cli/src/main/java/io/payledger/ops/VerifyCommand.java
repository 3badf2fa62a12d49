package io.payledger.ops;

import io.payledger.books.BooksVerifier;
import java.io.PrintStream;
import java.util.List;

/** {@code verify}: prints each invariant's verdict and exits non-zero if any is breached. */
final class VerifyCommand {

    private final OpsEnvironment environment;
    private final PrintStream out;

    VerifyCommand(OpsEnvironment environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(List<String> options) {
        for (String option : options) {
            if (!option.equals("--events")) {
                throw new IllegalArgumentException("verify takes only --events, not " + option);
            }
        }
        BooksVerifier.Report books = new BooksVerifier(environment.ledger()).verify();
        out.printf("books: %d accounts, %d transactions, %d entries%n", books.accounts(), books.transactions(),
                books.entries());
        boolean holds = print(books.checks());
        if (options.contains("--events")) {
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
        return holds ? 0 : 1;
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

package io.payledger.ledger.it;

import io.payledger.ledger.LedgerServiceApplication;
import io.payledger.ledger.domain.AppliedBatch;
import io.payledger.ledger.domain.Books;
import io.payledger.ledger.domain.BooksUnitOfWork;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * ledger-service, except that the process dies ({@code Runtime.halt}, as {@code kill -9} would)
 * right after the N-th database commit that applied payments: after the books changed, before the
 * consumer's offsets were committed. Run as a separate JVM by {@link CrashBetweenCommitsTest}.
 */
public final class LedgerThatCrashesAfterCommit {

    static final String CRASH_AFTER = "crash.after.commits";

    private LedgerThatCrashesAfterCommit() {
    }

    public static void main(String[] args) {
        SpringApplication application = LedgerServiceApplication.application();
        application.addPrimarySources(List.of(CrashPoint.class));
        application.run(args);
    }

    @Configuration(proxyBeanMethods = false)
    static class CrashPoint {

        @Bean
        static BeanPostProcessor crashAfterCommit() {
            int crashAfter = Integer.getInteger(CRASH_AFTER, 0);
            AtomicInteger commits = new AtomicInteger();
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (crashAfter <= 0 || !(bean instanceof Books books)) {
                        return bean;
                    }
                    return new Books() {
                        @Override
                        public <T> T transact(Function<BooksUnitOfWork, T> work) {
                            T result = books.transact(work);
                            if (result instanceof AppliedBatch batch && !batch.isEmpty()
                                    && commits.incrementAndGet() >= crashAfter) {
                                System.out.println("CRASHING after commit of " + batch.transactions().size()
                                        + " payments");
                                System.out.flush();
                                Runtime.getRuntime().halt(137);
                            }
                            return result;
                        }
                    };
                }
            };
        }
    }
}

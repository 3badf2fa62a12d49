package io.payledger.benchmarks;

import io.payledger.ledger.domain.AppliedBatch;
import io.payledger.ledger.domain.Books;
import io.payledger.ledger.domain.BooksUnitOfWork;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Times every unit of work on the books from the benchmark's side: how long each batch took to
 * commit (retries included) and how many payments waited for it, plus when applying began and ended.
 */
@Configuration(proxyBeanMethods = false)
class ApplyInstrumentation {

    static final Percentiles LATENCY = new Percentiles();
    static final AtomicLong FIRST_START = new AtomicLong(Long.MAX_VALUE);
    static final AtomicLong LAST_COMMIT = new AtomicLong();

    static void reset() {
        LATENCY.clear();
        FIRST_START.set(Long.MAX_VALUE);
        LAST_COMMIT.set(0);
    }

    @Bean
    static BeanPostProcessor timeBooks() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof Books books)) {
                    return bean;
                }
                return new Books() {
                    @Override
                    public <T> T transact(Function<BooksUnitOfWork, T> work) {
                        long started = System.nanoTime();
                        T result = books.transact(work);
                        long committed = System.nanoTime();
                        if (result instanceof AppliedBatch batch && !batch.isEmpty()) {
                            FIRST_START.accumulateAndGet(started, Math::min);
                            LAST_COMMIT.accumulateAndGet(committed, Math::max);
                            LATENCY.record((committed - started) / 1e6, batch.transactions().size());
                        }
                        return result;
                    }
                };
            }
        };
    }
}

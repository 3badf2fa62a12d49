package io.payledger.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who pays whom. Uniform: any account to any other. Hot: 90% of payments touch one of ten hot
 * accounts: a share of those (by default 30%) is between two hot accounts, either way round, so
 * opposite transfers between the same pair meet, as they did in the wallet; the rest half pay out of
 * a hot account, half into one; the other 10% are uniform.
 */
record Workload(String name, String prefix, int accounts, int hotAccounts, double hotShare,
                double hotToHotShare) {

    record Transfer(String from, String to, long amountMinor) {
    }

    static Workload uniform() {
        return new Workload("uniform", "u", 10_000, 0, 0, 0);
    }

    /** Uniform, on accounts of its own: brings the JIT to steady state before anything is measured. */
    static Workload warmup() {
        return new Workload("warmup", "w", 10_000, 0, 0, 0);
    }

    /** {@code hotToHotShare}: of the payments touching a hot account, the share between two of them. */
    static Workload hot(double hotToHotShare) {
        return new Workload("hot", "h", 10_000, 10, 0.9, hotToHotShare);
    }

    String account(int index) {
        return prefix + "-" + index;
    }

    /** Hot accounts are the first {@code hotAccounts} indexes. */
    boolean isHot(int index) {
        return index < hotAccounts;
    }

    List<Transfer> transfers(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Transfer> transfers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from;
            int to;
            if (hotAccounts > 0 && random.nextDouble() < hotShare) {
                if (hotAccounts > 1 && random.nextDouble() < hotToHotShare) {
                    from = random.nextInt(hotAccounts);
                    do {
                        to = random.nextInt(hotAccounts);
                    } while (to == from);
                } else {
                    int hot = random.nextInt(hotAccounts);
                    int other = hotAccounts + random.nextInt(accounts - hotAccounts);
                    boolean hotPays = random.nextBoolean();
                    from = hotPays ? hot : other;
                    to = hotPays ? other : hot;
                }
            } else {
                from = random.nextInt(accounts);
                do {
                    to = random.nextInt(accounts);
                } while (to == from);
            }
            transfers.add(new Transfer(account(from), account(to), 1 + random.nextInt(100)));
        }
        return transfers;
    }
}

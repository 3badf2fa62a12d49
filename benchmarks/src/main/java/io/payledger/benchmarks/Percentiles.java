package io.payledger.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** Latency samples, each with a weight (the number of payments that waited that long). */
final class Percentiles {

    private record Sample(double millis, long weight) {
    }

    private final List<Sample> samples = new ArrayList<>();

    synchronized void record(double millis, long weight) {
        if (weight > 0) {
            samples.add(new Sample(millis, weight));
        }
    }

    synchronized double percentile(double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort((a, b) -> Double.compare(a.millis(), b.millis()));
        long total = sorted.stream().mapToLong(Sample::weight).sum();
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (Sample sample : sorted) {
            seen += sample.weight();
            if (seen >= rank) {
                return sample.millis();
            }
        }
        return sorted.get(sorted.size() - 1).millis();
    }

    void addAll(Percentiles other) {
        List<Sample> theirs;
        synchronized (other) {
            theirs = new ArrayList<>(other.samples);
        }
        synchronized (this) {
            samples.addAll(theirs);
        }
    }

    synchronized void clear() {
        samples.clear();
    }
}

package io.payledger.fraud.domain;

import java.util.List;

/** The verdict on one payment: approved when no rule objects, otherwise rejected with every objection. */
public record FraudAssessment(boolean approved, List<String> reasons) {

    public FraudAssessment {
        reasons = List.copyOf(reasons);
    }

    static FraudAssessment of(List<String> reasons) {
        return new FraudAssessment(reasons.isEmpty(), reasons);
    }
}

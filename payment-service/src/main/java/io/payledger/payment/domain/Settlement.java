package io.payledger.payment.domain;

import java.util.List;
import java.util.UUID;

/** A payment's final status as an outcome event reports it: POSTED, DECLINED or REJECTED, with its reasons. */
public record Settlement(UUID paymentId, PaymentStatus status, List<String> reasons) {

    public Settlement {
        if (status == PaymentStatus.PENDING) {
            throw new IllegalArgumentException("PENDING is no final status");
        }
        reasons = List.copyOf(reasons);
    }
}

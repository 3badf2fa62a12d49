package io.payledger.payment.domain;

/** How a payment command arrived. */
public enum Channel { HTTP, KAFKA }

package io.payledger.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A refusal an endpoint answers with, for its OpenAPI document: the status and the {@link ProblemTypes problem
 * type} names ({@code payment-not-found}, not the URN). Documentation only: what the endpoint does is its code's.
 * The refusals every endpoint shares (malformed request, token, scope, rate limit, overload, internal error) are
 * added to every operation by {@link PlatformOpenApiAutoConfiguration}, so only an endpoint's own are named here.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ProblemResponse.List.class)
public @interface ProblemResponse {

    int status();

    /** The problem type names this status stands for at this endpoint. */
    String[] types();

    /** When the endpoint answers so, in a few words. */
    String description() default "";

    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface List {
        ProblemResponse[] value();
    }
}

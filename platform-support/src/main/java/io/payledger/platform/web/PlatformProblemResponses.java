package io.payledger.platform.web;

import org.springframework.web.bind.annotation.ControllerAdvice;

/** {@link ProblemResponses} for a service that registers none of its own (see {@link PlatformWebAutoConfiguration}). */
@ControllerAdvice
public class PlatformProblemResponses extends ProblemResponses {
}

package io.payledger.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.http.MockHttpInputMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The JSON input rules every service's MVC mapper gets from {@link PlatformWebAutoConfiguration}. */
class StrictJsonInputTest {

    record Transfer(String sourceAccountId, String amount, Nested nested) {
    }

    record Nested(String note) {
    }

    private final JsonMapper strict = strictMapper();

    private static JsonMapper strictMapper() {
        JsonMapper.Builder builder = JsonMapper.builder();
        new PlatformWebAutoConfiguration.StrictJsonInput().strictJsonInput().customize(builder);
        return builder.build();
    }

    private static String because(JacksonException error) {
        return ProblemResponses.unreadableBecause(
                new HttpMessageNotReadableException("unreadable", error, new MockHttpInputMessage(new byte[0])));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"sourceAccountId\":\"a\",\"sourceAccountId\":\"b\",\"amount\":\"1.00\"}",
            "{\"sourceAccountId\":\"a\",\"amount\":\"1.00\",\"nested\":{\"note\":\"x\",\"note\":\"y\"}}",
            "{\"sourceAccountId\":\"a\",\"amount\":\"1.00\",\"unknown\":1,\"unknown\":2}"})
    void refusesAKeyGivenTwiceAtAnyDepth(String json) {
        // When the body is read, Then the duplicate is refused by name rather than read as its last value
        assertThatThrownBy(() -> strict.readValue(json, Transfer.class))
                .isInstanceOfSatisfying(JacksonException.class, error ->
                        assertThat(because(error)).startsWith("Duplicate Object property"));
    }

    @Test
    void theDefaultMapperWouldHaveTakenTheLastValue() {
        // Given the mapper as Jackson ships it: the reason the platform configures its own
        Transfer lenient = JsonMapper.builder().build()
                .readValue("{\"sourceAccountId\":\"a\",\"sourceAccountId\":\"b\"}", Transfer.class);

        assertThat(lenient.sourceAccountId()).isEqualTo("b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.34", "1234", "true", "1e3"})
    void refusesANumberOrBooleanWhereTextIsExpected(String amount) {
        // Given an amount sent as a JSON number (or boolean) rather than a decimal string
        String json = "{\"sourceAccountId\":\"a\",\"amount\":" + amount + "}";

        // Then it is refused, naming the field
        assertThatThrownBy(() -> strict.readValue(json, Transfer.class))
                .isInstanceOfSatisfying(JacksonException.class, error ->
                        assertThat(because(error)).isEqualTo("amount must be a JSON string"));
    }

    @Test
    void refusesAnythingAfterTheDocument() {
        assertThatThrownBy(() -> strict.readValue("{\"sourceAccountId\":\"a\"} {\"sourceAccountId\":\"b\"}",
                Transfer.class)).isInstanceOf(JacksonException.class);
    }

    @Test
    void readsAWellFormedBody() {
        Transfer transfer = strict.readValue(
                "{\"sourceAccountId\":\"a\",\"amount\":\"12.34\",\"nested\":{\"note\":\"x\"}}", Transfer.class);

        assertThat(transfer).isEqualTo(new Transfer("a", "12.34", new Nested("x")));
    }
}

package io.payledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's schema gate: every published version of every record is kept, and each version can
 * read everything written with every earlier one (BACKWARD-transitive).
 */
class SchemaEvolutionTest {

    static Stream<Schema> currentSchemas() {
        return Topics.valueRecordTypes().map(SpecificData.get()::getSchema).distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void theCurrentSchemaIsPublishedAsTheLatestVersion(Schema current) {
        List<Schema> versions = SchemaHistory.load(current.getFullName());

        assertThat(versions).as("published versions of %s", current.getFullName()).isNotEmpty();
        assertThat(versions.get(versions.size() - 1))
                .as("%s changed: after checking it reads every earlier version, add it as "
                        + "src/main/resources/avro-history/%s/v%d.avsc", current.getFullName(), current.getFullName(),
                        versions.size() + 1)
                .isEqualTo(current);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void everyVersionReadsEveryEarlierVersion(Schema current) {
        assertThat(backwardTransitiveBreaks(SchemaHistory.load(current.getFullName()))).isEmpty();
    }

    @Test
    void theCheckRejectsANewRequiredFieldWithoutDefault() {
        // Given a v2 that adds a field old data does not have and gives it no default
        Schema v1 = new Schema.Parser().parse("""
                {"type":"record","name":"Thing","fields":[{"name":"id","type":"string"}]}""");
        Schema v2 = new Schema.Parser().parse("""
                {"type":"record","name":"Thing","fields":[{"name":"id","type":"string"},
                 {"name":"amountMinor","type":"long"}]}""");
        Schema v2WithDefault = new Schema.Parser().parse("""
                {"type":"record","name":"Thing","fields":[{"name":"id","type":"string"},
                 {"name":"amountMinor","type":"long","default":0}]}""");

        // Then the check reports it, and accepts the same change with a default
        assertThat(backwardTransitiveBreaks(List.of(v1, v2))).hasSize(1);
        assertThat(backwardTransitiveBreaks(List.of(v1, v2WithDefault))).isEmpty();
    }

    /** Every (reader, writer) pair where a version cannot read an earlier one. */
    static List<String> backwardTransitiveBreaks(List<Schema> versions) {
        List<String> breaks = new ArrayList<>();
        for (int reader = 1; reader < versions.size(); reader++) {
            for (int writer = 0; writer < reader; writer++) {
                var result = SchemaCompatibility.checkReaderWriterCompatibility(versions.get(reader), versions.get(writer));
                if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    breaks.add("v" + (reader + 1) + " cannot read v" + (writer + 1) + ": " + result.getDescription());
                }
            }
        }
        return breaks;
    }
}

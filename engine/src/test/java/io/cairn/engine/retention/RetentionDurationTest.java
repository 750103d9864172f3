package io.cairn.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionDurationTest {

    @Test
    void parsesAllUnits() {
        assertThat(RetentionDuration.parse("2y5m7d3h")).isEqualTo(new RetentionDuration(2, 5, 7, 3));
    }

    @Test
    void parsesSingleUnitsAndAnyOrder() {
        assertThat(RetentionDuration.parse("7d")).isEqualTo(new RetentionDuration(0, 0, 7, 0));
        assertThat(RetentionDuration.parse("36h")).isEqualTo(new RetentionDuration(0, 0, 0, 36));
        assertThat(RetentionDuration.parse("3h1y")).isEqualTo(new RetentionDuration(1, 0, 0, 3));
        assertThat(RetentionDuration.parse("007d")).isEqualTo(new RetentionDuration(0, 0, 7, 0));
    }

    @Test
    void zeroMeansUnused() {
        assertThat(RetentionDuration.parse("0d")).isEqualTo(RetentionDuration.ZERO);
        assertThat(RetentionDuration.ZERO.isZero()).isTrue();
        assertThat(RetentionDuration.parse("1h").isZero()).isFalse();
    }

    @Test
    void toStringIsCanonicalAndParsesBack() {
        assertThat(RetentionDuration.parse("3h1y")).hasToString("1y3h");
        assertThat(RetentionDuration.ZERO).hasToString("0h");
        RetentionDuration duration = new RetentionDuration(2, 5, 7, 3);
        assertThat(RetentionDuration.parse(duration.toString())).isEqualTo(duration);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "7      | number 7 at the end has no unit",
        "7w     | unknown unit 'w' in '7w' (there is no week unit: write 7d per week)",
        "1D     | unknown unit 'D' in '1D'",
        "1.5d   | unknown unit '.' in '1.'",
        "d7     | expected a number at 'd7'",
        "-1d    | expected a number at '-1d'",
        "1d2h3d | unit 'd' appears twice (at '3d')",
        "1d 2h  | expected a number at ' 2h'",
        "99999999999d | number in '99999999999d' is too large",
        "2147483648h  | number in '2147483648h' is too large",
    })
    void rejectsBadTextNamingTheBadPart(String text, String expectedMessagePart) {
        assertThatThrownBy(() -> RetentionDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining(expectedMessagePart);
    }

    @Test
    void rejectsEmptyText() {
        assertThatThrownBy(() -> RetentionDuration.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("empty duration")
                .hasMessageContaining("e.g. 2y5m7d3h");
        assertThatThrownBy(() -> RetentionDuration.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTheLargestInt() {
        assertThat(RetentionDuration.parse("2147483647h").hours()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rejectsNegativeParts() {
        assertThatThrownBy(() -> new RetentionDuration(0, -1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration months must not be negative, was -1");
    }
}

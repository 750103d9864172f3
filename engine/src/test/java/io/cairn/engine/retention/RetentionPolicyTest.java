package io.cairn.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionPolicyTest {

    @Test
    void aPolicyWithoutRulesIsEmpty() {
        assertThat(RetentionPolicy.builder().build().isEmpty()).isTrue();
        assertThat(new RetentionPolicy(0, 0, 0, 0, 0, 0, null, null, null, null, null, null, null).isEmpty())
                .isTrue();
        assertThat(RetentionPolicy.builder().keepWithin("0d").build().isEmpty()).isTrue();
    }

    static Stream<Arguments> singleRules() {
        return Stream.of(
                Arguments.of("keepLast", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepLast(1)),
                Arguments.of("keepHourly", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepHourly(1)),
                Arguments.of("keepDaily unlimited",
                        (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepDaily(RetentionPolicy.UNLIMITED)),
                Arguments.of("keepWeekly", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepWeekly(1)),
                Arguments.of("keepMonthly", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepMonthly(1)),
                Arguments.of("keepYearly", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepYearly(1)),
                Arguments.of("keepWithin", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepWithin("1h")),
                Arguments.of("keepWithinHourly",
                        (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepWithinHourly("1d")),
                Arguments.of("keepWithinDaily", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepWithinDaily("1d")),
                Arguments.of("keepWithinWeekly",
                        (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepWithinWeekly("1m")),
                Arguments.of("keepWithinMonthly",
                        (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepWithinMonthly("1y")),
                Arguments.of("keepWithinYearly",
                        (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepWithinYearly("5y")),
                Arguments.of("keepTags", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepTags("prod")),
                Arguments.of("keepTags untagged", (UnaryOperator<RetentionPolicy.Builder>) b -> b.keepTags("")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleRules")
    void anySingleRuleMakesThePolicyNonEmpty(String rule, UnaryOperator<RetentionPolicy.Builder> setRule) {
        assertThat(setRule.apply(RetentionPolicy.builder()).build().isEmpty()).isFalse();
    }

    @Test
    void countsBelowUnlimitedAreRejected() {
        assertThatThrownBy(() -> RetentionPolicy.builder().keepDaily(-2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keepDaily must be a count >= 0, or -1 for unlimited; was -2");
    }

    @Test
    void durationsInTheBuilderAreParsed() {
        assertThatThrownBy(() -> RetentionPolicy.builder().keepWithin("7w"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown unit 'w'");
        assertThat(RetentionPolicy.builder().keepWithinDaily("1m2d").build().keepWithinDaily())
                .isEqualTo(new RetentionDuration(0, 1, 2, 0));
    }

    @Test
    void tagsAreCopiedSortedAndUnmodifiable() {
        Set<String> tags = new HashSet<>(List.of("zeta", "alpha"));
        RetentionPolicy policy = new RetentionPolicy(0, 0, 0, 0, 0, 0, null, null, null, null, null, null, tags);
        tags.add("later");
        assertThat(policy.keepTags()).containsExactly("alpha", "zeta");
        assertThatThrownBy(() -> policy.keepTags().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullTagsAreRejected() {
        Set<String> tags = new HashSet<>();
        tags.add(null);
        assertThatThrownBy(() -> new RetentionPolicy(0, 0, 0, 0, 0, 0, null, null, null, null, null, null, tags))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void describeNamesEveryRule() {
        RetentionPolicy policy = RetentionPolicy.builder()
                .keepLast(3).keepDaily(7).keepMonthly(RetentionPolicy.UNLIMITED)
                .keepWithinDaily("7d").keepWithin("1m").keepTags("prod", "").build();
        assertThat(policy.describe()).isEqualTo("keep 3 last, 7 daily, all monthly snapshots; "
                + "daily snapshots within 7d; all snapshots within 1m of the latest; "
                + "snapshots tagged (untagged) or prod");
        assertThat(RetentionPolicy.builder().build().describe()).isEqualTo("keep nothing (empty policy)");
    }
}

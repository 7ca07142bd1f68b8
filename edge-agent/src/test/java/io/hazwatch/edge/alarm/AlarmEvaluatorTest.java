package io.hazwatch.edge.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.hazwatch.edge.config.AlarmSpec;
import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmEvaluatorTest {
    private static final String POINT = "E0042/farm/tank1.level";

    /** Tank level in metres: LL 2, L 3, H 17, HH 18, deadband 0.2. */
    private final AlarmEvaluator levels = new AlarmEvaluator(POINT,
            AlarmSpec.builder().ll(2).l(3).h(17).hh(18).deadband(0.2).build());

    private long t = 1_000;

    private List<AlarmEvent> feed(AlarmEvaluator e, double value) {
        t += 1_000;
        return e.evaluate(new Reading(POINT, t, PointValue.of(value), QualityCode.GOOD));
    }

    private List<AlarmEvent> feedBad(AlarmEvaluator e) {
        t += 1_000;
        return e.evaluate(new Reading(POINT, t, PointValue.NONE, QualityCode.BAD_TIMEOUT));
    }

    @Test
    void aValueInsideTheLimitsRaisesNothing() {
        assertThat(feed(levels, 10)).isEmpty();
        assertThat(feed(levels, 16.99)).isEmpty();
        assertThat(levels.active()).isEmpty();
    }

    @Test
    void reachingAHighLimitRaisesItWithValueThresholdTimestampAndDefaultLevel() {
        feed(levels, 10);

        List<AlarmEvent> events = feed(levels, 17.0);

        assertThat(events).containsExactly(new AlarmEvent(POINT, t, AlarmLimit.H, 4, true, 17.0, 17.0));
        assertThat(levels.active()).containsExactly(AlarmLimit.H);
    }

    @Test
    void aRaisedAlarmClearsOnlyOnceTheValueIsPastTheDeadband() {
        feed(levels, 17.5);

        assertThat(feed(levels, 16.9)).as("below the limit but inside the deadband").isEmpty();
        assertThat(feed(levels, 16.8)).as("at limit - deadband is not past it").isEmpty();
        assertThat(feed(levels, 17.1)).as("back above: already raised, no second raise").isEmpty();
        List<AlarmEvent> cleared = feed(levels, 16.79);

        assertThat(cleared).containsExactly(new AlarmEvent(POINT, t, AlarmLimit.H, 4, false, 16.79, 17.0));
        assertThat(levels.active()).isEmpty();
    }

    @Test
    void risingFromHToHhRaisesHhAndKeepsHRaised() {
        feed(levels, 17.2);

        List<AlarmEvent> events = feed(levels, 18.3);

        assertThat(events).extracting(AlarmEvent::limit, AlarmEvent::raised, AlarmEvent::level)
                .containsExactly(tuple(AlarmLimit.HH, true, 3));
        assertThat(levels.active()).containsExactlyInAnyOrder(AlarmLimit.H, AlarmLimit.HH);
    }

    @Test
    void fallingBackFromHhToHClearsOnlyHh() {
        feed(levels, 18.3);

        List<AlarmEvent> events = feed(levels, 17.5);

        assertThat(events).extracting(AlarmEvent::limit, AlarmEvent::raised)
                .containsExactly(tuple(AlarmLimit.HH, false));
        assertThat(levels.active()).containsExactly(AlarmLimit.H);
    }

    @Test
    void aJumpPastBothHighLimitsRaisesHThenHhAndTheWayBackClearsHhThenH() {
        feed(levels, 10);

        assertThat(feed(levels, 19)).extracting(AlarmEvent::limit, AlarmEvent::raised).containsExactly(
                tuple(AlarmLimit.H, true),
                tuple(AlarmLimit.HH, true));
        assertThat(feed(levels, 10)).extracting(AlarmEvent::limit, AlarmEvent::raised).containsExactly(
                tuple(AlarmLimit.HH, false),
                tuple(AlarmLimit.H, false));
    }

    @Test
    void lowLimitsMirrorHighOnesWithTheDeadbandAbove() {
        feed(levels, 10);

        assertThat(feed(levels, 1.5)).extracting(AlarmEvent::limit).containsExactly(AlarmLimit.L, AlarmLimit.LL);
        assertThat(feed(levels, 2.2)).as("LL holds inside its deadband").isEmpty();
        assertThat(feed(levels, 2.25)).extracting(AlarmEvent::limit, AlarmEvent::raised)
                .containsExactly(tuple(AlarmLimit.LL, false));
        assertThat(feed(levels, 3.21)).extracting(AlarmEvent::limit, AlarmEvent::raised)
                .containsExactly(tuple(AlarmLimit.L, false));
        assertThat(levels.active()).isEmpty();
    }

    @Test
    void aSwingFromAboveHhToBelowLlClearsTheHighAlarmsBeforeRaisingTheLowOnes() {
        feed(levels, 19);

        assertThat(feed(levels, 1)).extracting(AlarmEvent::limit, AlarmEvent::raised).containsExactly(
                tuple(AlarmLimit.HH, false),
                tuple(AlarmLimit.H, false),
                tuple(AlarmLimit.L, true),
                tuple(AlarmLimit.LL, true));
    }

    @Test
    void badQualityReadingsNeitherRaiseNorClearLimitAlarms() {
        feed(levels, 17.5);

        assertThat(feedBad(levels)).isEmpty();
        assertThat(levels.active()).as("a raised alarm stays raised while not evaluable").containsExactly(AlarmLimit.H);
        feed(levels, 10);
        assertThat(levels.active()).isEmpty();
        assertThat(levels.evaluate(new Reading(POINT, t + 1, PointValue.of(25.0), QualityCode.BAD_OUT_OF_RANGE)))
                .as("a bad reading above HH raises nothing").isEmpty();
    }

    @Test
    void aStringValueIsNotEvaluableAndABooleanIsOneOrZero() {
        AlarmEvaluator flame = new AlarmEvaluator(POINT, AlarmSpec.builder().hh(1).level(AlarmLimit.HH, 1).build());

        assertThat(flame.evaluate(new Reading(POINT, 1, PointValue.of("FIRE"), QualityCode.GOOD))).isEmpty();
        assertThat(flame.evaluate(new Reading(POINT, 2, PointValue.of(false), QualityCode.GOOD))).isEmpty();
        assertThat(flame.evaluate(new Reading(POINT, 3, PointValue.of(true), QualityCode.GOOD)))
                .containsExactly(new AlarmEvent(POINT, 3, AlarmLimit.HH, 1, true, 1.0, 1.0));
    }

    @Test
    void anUncertainReadingIsStillEvaluated() {
        assertThat(levels.evaluate(new Reading(POINT, 5, PointValue.of(18.5), QualityCode.UNCERTAIN)))
                .extracting(AlarmEvent::limit).containsExactly(AlarmLimit.H, AlarmLimit.HH);
    }

    @Test
    void theNthConsecutiveBadReadingRaisesFaultAndTheNextGoodOneClearsIt() {
        AlarmEvaluator gas = new AlarmEvaluator(POINT, AlarmSpec.builder().h(25).hh(50).faultAfter(3).build());
        feed(gas, 2);

        assertThat(feedBad(gas)).isEmpty();
        assertThat(feedBad(gas)).isEmpty();
        List<AlarmEvent> fault = feedBad(gas);
        assertThat(fault).hasSize(1);
        assertThat(fault.get(0).limit()).isEqualTo(AlarmLimit.FAULT);
        assertThat(fault.get(0).raised()).isTrue();
        assertThat(fault.get(0).level()).isEqualTo(3);
        assertThat(fault.get(0).threshold()).isEqualTo(3.0);
        assertThat(feedBad(gas)).as("raised once, not on every further bad reading").isEmpty();

        assertThat(feed(gas, 30)).extracting(AlarmEvent::limit, AlarmEvent::raised).containsExactly(
                tuple(AlarmLimit.FAULT, false),
                tuple(AlarmLimit.H, true));
    }

    @Test
    void aGoodReadingResetsTheBadStreak() {
        AlarmEvaluator gas = new AlarmEvaluator(POINT, AlarmSpec.builder().h(25).faultAfter(2).build());

        feedBad(gas);
        feed(gas, 1);
        assertThat(feedBad(gas)).isEmpty();
        assertThat(gas.consecutiveBad()).isEqualTo(1);
    }

    @Test
    void configuredLevelsReplaceTheDefaults() {
        AlarmEvaluator e = new AlarmEvaluator(POINT, AlarmSpec.builder().h(1).hh(2).level(AlarmLimit.HH, 1)
                .level(AlarmLimit.H, 4).build());

        assertThat(e.evaluate(new Reading(POINT, 1, PointValue.of(3.0), QualityCode.GOOD)))
                .extracting(AlarmEvent::level).containsExactly(4, 1);
    }

    @Test
    void limitsOutOfOrderAreRefusedByTheSpec() {
        assertThatThrownBy(() -> AlarmSpec.builder().h(18).hh(17).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limits must ascend ll < l < h < hh, but h=18.0 is not below hh=17.0");
    }

    @Test
    void aReadingOfAnotherPointIsRefused() {
        assertThatThrownBy(() -> levels.evaluate(new Reading("x/y/z", 1, PointValue.of(1.0), QualityCode.GOOD)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

/** The alarm thresholds a stack's config may set (alarmThresholds in Pulumi.yaml): known keys, numbers of 0 or more. */
import { strict as assert } from "assert";
import { ALARM_KEYS, DEFAULT_THRESHOLDS, checkThresholds } from "../../components/alarms";

describe("alarm thresholds from a stack's config", function () {
  it("keeps the keys given; every key left out keeps its default, 1", function () {
    assert.deepEqual(checkThresholds({ lambdaThrottles: 10, deadLetters: 0 }), { lambdaThrottles: 10, deadLetters: 0 });
    assert.deepEqual(checkThresholds(undefined), {});
    assert.deepEqual(Object.keys(DEFAULT_THRESHOLDS), [...ALARM_KEYS]);
    assert.ok(Object.values(DEFAULT_THRESHOLDS).every((t) => t === 1));
  });

  it("refuses an unknown alarm, a negative or non-number threshold, and a non-object, saying which", function () {
    assert.throws(
      () => checkThresholds({ lambdaErrorz: 1 }),
      /alarmThresholds: unknown alarm "lambdaErrorz" \(the alarms are executionsTimedOut, /,
    );
    assert.throws(
      () => checkThresholds({ internalErrors: -1 }),
      /alarmThresholds: internalErrors must be a number of 0 or more \(got -1\)/,
    );
    assert.throws(() => checkThresholds({ internalErrors: "5" }), /got "5"/);
    assert.throws(() => checkThresholds([1]), /alarmThresholds must be an object/);
  });
});

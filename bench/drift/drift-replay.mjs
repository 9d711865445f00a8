/**
 * Replays one stream through a set of detectors: the change detectors see every trace as it is
 * scored, the fixed-threshold alerts see one bucket per day (the peers' "daily pass rate"). Each
 * detector is reset after an alarm, as an on-call engineer would acknowledge it. Returns, per
 * detector, the alarm times (in traces) after the warm-up.
 */
const PASS = Object.freeze({ passed: 1, total: 1 });
const FAIL = Object.freeze({ passed: 0, total: 1 });

/** @param specs [{ name, granularity: 'trace' | 'day', make: () => ChangeDetector }] */
export function replay(outcomes, perDay, monitorFrom, specs) {
  const detectors = specs.map((s) => ({ ...s, d: s.make(), alarms: [] }));
  const traceDetectors = detectors.filter((x) => x.granularity === 'trace');
  const dayDetectors = detectors.filter((x) => x.granularity === 'day');
  let dayPassed = 0;
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i] === 1 ? PASS : FAIL;
    for (const x of traceDetectors) {
      if (x.d.update(o).alarm) {
        if (i >= monitorFrom) x.alarms.push(i);
        x.d.reset();
      }
    }
    dayPassed += outcomes[i];
    if ((i + 1) % perDay === 0) {
      const bucket = { passed: dayPassed, total: perDay };
      dayPassed = 0;
      for (const x of dayDetectors) {
        if (x.d.update(bucket).alarm) {
          if (i >= monitorFrom) x.alarms.push(i);
          x.d.reset();
        }
      }
    }
  }
  return Object.fromEntries(detectors.map((x) => [x.name, x.alarms]));
}

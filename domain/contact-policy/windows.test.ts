import { DateTime } from 'luxon';
import { intersect, nextAllowed, normalize, subtract, type Interval, type TimeConstraint } from './windows';
import { isoLocal, shiftDays } from './zone-clock';

const HOURS_8_TO_21: TimeConstraint = { kind: 'daily', from: '08:00', to: '21:00' };
const NY = 'America/New_York';

const ms = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();
const local = (text: string, zone: string) => DateTime.fromISO(text, { zone }).toMillis();

describe('interval algebra', () => {
  test.each<[string, Interval[], Interval[]]>([
    [
      'sorts and merges overlapping and touching intervals',
      [
        [5, 8],
        [1, 3],
        [3, 4],
        [7, 9],
      ],
      [
        [1, 4],
        [5, 9],
      ],
    ],
    [
      'drops empty intervals',
      [
        [2, 2],
        [4, 3],
      ],
      [],
    ],
  ])('normalize %s', (_label, input, expected) => {
    expect(normalize(input)).toEqual(expected);
  });

  test('intersect keeps what both allow', () => {
    expect(
      intersect(
        [
          [0, 10],
          [20, 30],
        ],
        [[5, 25]],
      ),
    ).toEqual([
      [5, 10],
      [20, 25],
    ]);
  });

  test('subtract removes what the second covers', () => {
    expect(
      subtract(
        [
          [0, 10],
          [20, 30],
        ],
        [
          [5, 22],
          [25, 26],
        ],
      ),
    ).toEqual([
      [0, 5],
      [22, 25],
      [26, 30],
    ]);
  });
});

describe('next allowed time', () => {
  test.each([
    ['inside the window: now', '2026-06-10T10:00', '2026-06-10T10:00'],
    ['20:59 is still allowed', '2026-06-10T20:59', '2026-06-10T20:59'],
    ['21:00 goes to 08:00 the next day', '2026-06-10T21:00', '2026-06-11T08:00'],
    ['before 08:00 goes to 08:00 the same day', '2026-06-10T07:59', '2026-06-10T08:00'],
    ['just after midnight goes to 08:00 the same day', '2026-06-10T00:30', '2026-06-10T08:00'],
    // Spring forward: 2026-03-08 has 23 hours in New York.
    ['the evening before spring forward goes to 08:00 EDT', '2026-03-07T21:30', '2026-03-08T08:00'],
    ['the skipped hour itself goes to 08:00 EDT', '2026-03-08T03:30', '2026-03-08T08:00'],
    ['21:00 on the spring-forward day goes to 08:00 the next day', '2026-03-08T21:00', '2026-03-09T08:00'],
    // Fall back: 2026-11-01 has 25 hours in New York.
    ['the evening before fall back goes to 08:00 EST', '2026-10-31T21:00', '2026-11-01T08:00'],
    ['20:59 on the fall-back day is allowed', '2026-11-01T20:59', '2026-11-01T20:59'],
    ['21:00 on the fall-back day goes to 08:00 the next day', '2026-11-01T21:00', '2026-11-02T08:00'],
  ])('%s', (_label, at, expected) => {
    const result = nextAllowed([HOURS_8_TO_21], [NY], local(at, NY));
    expect(result.nextAllowedMs).toBe(local(expected, NY));
    expect(result.allowedNow).toBe(at === expected);
  });

  test('the repeated hour at fall back, either occurrence, waits for 08:00 EST', () => {
    for (const at of ['2026-11-01T01:30:00-04:00', '2026-11-01T01:30:00-05:00']) {
      expect(nextAllowed([HOURS_8_TO_21], [NY], ms(at)).nextAllowedMs).toBe(ms('2026-11-01T13:00:00Z'));
    }
  });

  test('a deferral across spring forward lasts 9.5 hours of elapsed time (the wall clock shows 10.5)', () => {
    const at = local('2026-03-07T21:30', NY);
    expect((nextAllowed([HOURS_8_TO_21], [NY], at).nextAllowedMs ?? 0) - at).toBe(9.5 * 3_600_000);
  });

  test('only the overlap of all zones counts: New York and Los Angeles give 11:00-21:00 Eastern', () => {
    const zones = [NY, 'America/Los_Angeles'];
    const at = local('2026-06-10T09:00', NY);
    const result = nextAllowed([HOURS_8_TO_21], zones, at);
    expect(result.nextAllowedMs).toBe(local('2026-06-10T11:00', NY));
    expect(result.overlap[0]).toEqual([local('2026-06-10T11:00', NY), local('2026-06-10T21:00', NY)]);
  });

  test('zones with different DST dates: New York and London between the two changes', () => {
    // 2026-03-10: New York is on EDT (-4), London still on GMT: 08:00-21:00 London ends at 17:00 New York.
    const zones = [NY, 'Europe/London'];
    const result = nextAllowed([HOURS_8_TO_21], zones, ms('2026-03-10T12:00:00Z'));
    expect(result.overlap[0]).toEqual([ms('2026-03-10T12:00:00Z'), ms('2026-03-10T21:00:00Z')]);
    // 2026-03-30: London on BST too; the overlap ends an hour earlier in UTC.
    const after = nextAllowed([HOURS_8_TO_21], zones, ms('2026-03-30T12:00:00Z'));
    expect(after.overlap[0]).toEqual([ms('2026-03-30T12:00:00Z'), ms('2026-03-30T20:00:00Z')]);
  });

  test('inconvenient ranges are cut out, including ranges that cross midnight', () => {
    const constraints: TimeConstraint[] = [
      HOURS_8_TO_21,
      { kind: 'excluded', ranges: [{ from: '20:00', to: '09:00' }] },
    ];
    const result = nextAllowed(constraints, [NY], local('2026-06-10T20:30', NY));
    expect(result.nextAllowedMs).toBe(local('2026-06-11T09:00', NY));
  });

  test('weekday ranges apply on their days only', () => {
    const constraints: TimeConstraint[] = [
      HOURS_8_TO_21,
      {
        kind: 'excluded',
        ranges: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
      },
    ];
    // 2026-06-10 is a Wednesday, 2026-06-13 a Saturday.
    expect(nextAllowed(constraints, [NY], local('2026-06-10T10:00', NY)).nextAllowedMs).toBe(
      local('2026-06-10T17:00', NY),
    );
    expect(nextAllowed(constraints, [NY], local('2026-06-13T10:00', NY)).allowedNow).toBe(true);
  });

  test('no common time at all gives no next time', () => {
    const constraints: TimeConstraint[] = [
      HOURS_8_TO_21,
      { kind: 'excluded', ranges: [{ from: '00:00', to: '00:00' }] },
    ];
    expect(nextAllowed(constraints, [NY], local('2026-06-10T10:00', NY))).toEqual({
      allowedNow: false,
      nextAllowedMs: null,
      overlap: [],
    });
  });
});

describe('zone clock', () => {
  test('local ISO text carries the offset of the instant', () => {
    expect(isoLocal(ms('2026-03-08T12:00:00Z'), NY)).toBe('2026-03-08T08:00:00.000-04:00');
    expect(isoLocal(ms('2026-03-08T06:00:00Z'), NY)).toBe('2026-03-08T01:00:00.000-05:00');
    expect(isoLocal(ms('2026-03-08T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-08T17:30:00.000+05:30');
  });

  test.each([
    ['2026-03-14T10:17:23.456-04:00', -7],
    ['2026-11-07T10:00:00-05:00', -7],
    ['2026-03-07T02:30:00-05:00', 1],
    ['2026-11-01T01:30:00-04:00', 7],
    ['2026-06-10T14:00:00Z', 7],
  ])('shifting %s by %d days reads the calendar as luxon does', (iso, days) => {
    const t = ms(iso);
    expect(shiftDays(NY, t, days)).toBe(DateTime.fromMillis(t, { zone: NY }).plus({ days }).toMillis());
  });
});

import { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['3d', 3 * DAY_MS],
    ['12h', 12 * HOUR_MS],
    ['1d12h', DAY_MS + 12 * HOUR_MS],
    ['90m', 90 * MINUTE_MS],
    ['2w', 14 * DAY_MS],
    ['PT12H', 12 * HOUR_MS],
    ['P3D', 3 * DAY_MS],
    ['P1DT12H', DAY_MS + 12 * HOUR_MS],
    ['P1W', 7 * DAY_MS],
    ['pt30m', 30 * MINUTE_MS],
    ['0', 0],
    [0, 0],
  ])('reads %p', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each([
    ['P1M', "'P1M': months and years vary in length; write days instead, e.g. 30d"],
    ['P1Y', "'P1Y': months and years vary in length; write days instead, e.g. 30d"],
    ['1mo', "'1mo': months and years vary in length; write days instead, e.g. 30d"],
    ['3 days', "'3 days' is not a duration: use e.g. 3d, 12h, 1d12h, PT12H or P3D"],
    ['P', "'P' is not a duration: use e.g. 3d, 12h, 1d12h, PT12H or P3D"],
    ['PT', "'PT' is not a duration: use e.g. 3d, 12h, 1d12h, PT12H or P3D"],
    ['', 'the duration is empty'],
    [3, "write a unit: '3d' or '3h'"],
  ])('refuses %p', (text, error) => {
    expect(parseDuration(text)).toEqual({ ok: false, error });
  });

  it('formats durations the way designers write them', () => {
    expect(formatDuration(3 * DAY_MS)).toBe('3d');
    expect(formatDuration(DAY_MS + 12 * HOUR_MS)).toBe('1d12h');
    expect(formatDuration(45 * MINUTE_MS)).toBe('45m');
    expect(formatDuration(0)).toBe('0');
  });
});

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { US_STATES, ZONE } from './geography';
import { addressTimeZone, phoneTimeZones, usAreaCodes } from './time-zones';

describe('time-zone evidence', () => {
  it('knows an in-service area code for every state, and the exchanges they accept are valid', () => {
    const codes = usAreaCodes();
    for (const state of US_STATES) expect([...codes.values()].some((a) => a.state === state.code)).toBe(true);
    for (const a of codes.values()) {
      for (const d of a.exchangeStarts)
        expect(parsePhoneNumberFromString(`+1${a.code}${d}234567`)?.isValid()).toBe(true);
    }
  });

  it('covers every US time zone', () => {
    const zones = new Set([...usAreaCodes().values()].flatMap((a) => a.zones));
    for (const z of [
      ZONE.eastern,
      ZONE.central,
      ZONE.mountain,
      ZONE.arizona,
      ZONE.pacific,
      ZONE.alaska,
      ZONE.hawaii,
    ]) {
      expect(zones.has(z)).toBe(true);
    }
  });

  it('places an address by ZIP prefix in a split state, else by state', () => {
    expect(addressTimeZone('US', 'FL', '32501')).toEqual({ zone: ZONE.central, source: 'postal_code' });
    expect(addressTimeZone('US', 'FL', '33101')).toEqual({ zone: ZONE.eastern, source: 'region' });
    expect(addressTimeZone('US', 'TX', '79901')).toEqual({ zone: ZONE.mountain, source: 'postal_code' });
    expect(addressTimeZone('US', 'TN', '37902')).toEqual({ zone: ZONE.eastern, source: 'postal_code' });
    // 423 is an East Tennessee area code but a Kentucky ZIP prefix: only Kentucky's override applies.
    expect(addressTimeZone('US', 'KY', '42301')).toEqual({ zone: ZONE.central, source: 'postal_code' });
    expect(addressTimeZone('US', 'AZ', '85001')).toEqual({ zone: ZONE.arizona, source: 'region' });
    expect(addressTimeZone('GB', 'ENG', 'SW1A 1AA')).toEqual({ zone: ZONE.uk, source: 'country' });
    expect(addressTimeZone('FR', null, '75001')).toEqual({ zone: null, source: null });
  });

  it('reads the zones a number could be in from its area code, all of them for a split code', () => {
    expect(phoneTimeZones('+12125551234')).toEqual({
      country: 'US',
      zones: [ZONE.eastern],
      source: 'area_code',
    });
    expect(phoneTimeZones('+18502345678').zones).toEqual([ZONE.central, ZONE.eastern]);
    expect(phoneTimeZones('+447911123456')).toEqual({ country: 'GB', zones: [ZONE.uk], source: 'country' });
    expect(phoneTimeZones('+14165551234')).toEqual({ country: 'CA', zones: [], source: null });
  });
});

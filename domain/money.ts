/**
 * Money is an integer number of minor units (cents, pence) plus an ISO 4217 currency code.
 * Never a float: 0.1 + 0.2 is not a balance.
 */

export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/** Minor-unit exponents of the currencies that are not the usual 2. */
const EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  VND: 0,
  HUF: 2,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code);
}

/** Digits after the decimal point for the currency (2 unless listed otherwise). */
export function currencyExponent(currency: string): number {
  return EXPONENT_EXCEPTIONS[currency] ?? 2;
}

/**
 * Parses a decimal amount written by a person (`"1250"`, `"1250.5"`, `"1250.50"`) into minor
 * units, without passing through floating point. Returns an error sentence instead of
 * guessing when the amount has more decimals than the currency allows.
 */
export function parseAmountMinor(
  text: string,
  currency: string,
): { ok: true; amountMinor: number } | { ok: false; error: string } {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return { ok: false, error: `'${text}' is not an amount` };
  const [, sign, whole = '0', fraction = ''] = match;
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) {
    return {
      ok: false,
      error:
        exponent === 0
          ? `${currency} has no minor unit: write a whole amount`
          : `${currency} has ${exponent} decimal places, '${text}' has ${fraction.length}`,
    };
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, error: `'${text}' is too large` };
  return { ok: true, amountMinor: sign ? -minor : minor };
}

/** `1250.00` for 125000 EUR minor units: the way a designer writes an amount. */
export function formatDecimal(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0;
  const abs = Math.abs(amountMinor);
  const whole = Math.floor(abs / 10 ** exponent);
  const fraction = abs % 10 ** exponent;
  const text = exponent === 0 ? `${whole}` : `${whole}.${fraction.toString().padStart(exponent, '0')}`;
  return negative ? `-${text}` : text;
}

/** `EUR 1,250.00`-style text for people; not for parsing back. */
export function formatMoney(money: Money): string {
  const exponent = currencyExponent(money.currency);
  const negative = money.amountMinor < 0;
  const abs = Math.abs(money.amountMinor);
  const whole = Math.floor(abs / 10 ** exponent);
  const fraction = abs % 10 ** exponent;
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = exponent === 0 ? wholeText : `${wholeText}.${fraction.toString().padStart(exponent, '0')}`;
  return `${negative ? '-' : ''}${money.currency} ${text}`;
}

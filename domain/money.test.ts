import { formatDecimal, formatMoney, parseAmountMinor } from './money';

describe('money', () => {
  it('parses decimal text into minor units without floating point', () => {
    expect(parseAmountMinor('1250.50', 'EUR')).toEqual({ ok: true, amountMinor: 125050 });
    expect(parseAmountMinor('0.1', 'EUR')).toEqual({ ok: true, amountMinor: 10 });
    expect(parseAmountMinor('1000', 'JPY')).toEqual({ ok: true, amountMinor: 1000 });
    expect(parseAmountMinor('1.234', 'KWD')).toEqual({ ok: true, amountMinor: 1234 });
  });

  it('refuses more decimals than the currency has', () => {
    expect(parseAmountMinor('1.5', 'JPY')).toEqual({
      ok: false,
      error: 'JPY has no minor unit: write a whole amount',
    });
    expect(parseAmountMinor('1.505', 'EUR')).toEqual({
      ok: false,
      error: "EUR has 2 decimal places, '1.505' has 3",
    });
  });

  it('formats for people', () => {
    expect(formatMoney({ amountMinor: 123456789, currency: 'EUR' })).toBe('EUR 1,234,567.89');
    expect(formatMoney({ amountMinor: -5, currency: 'USD' })).toBe('-USD 0.05');
    expect(formatDecimal(500000, 'EUR')).toBe('5000.00');
  });
});

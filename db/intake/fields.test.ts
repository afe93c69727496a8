import { validateCustomer, validateLoan, validatePayment, type Validation } from './fields';

const ctx = { today: '2026-11-25' };
const fields = (v: Validation) => (v.ok ? [] : v.errors.map((e) => e.field).sort());
const main = (v: Validation) => (v.ok ? v.staged.main.split('\t') : []);

const customer = {
  customer_number: 'C1',
  given_name: 'José',
  family_name: 'Núñez',
  address_line1: '1 Main St',
  city: 'Pensacola',
  region: 'fl',
  postal_code: '32501',
  country: 'us',
  mobile_phone: '(850) 234-5678',
  mobile_sms_consent: 'yes',
  email: 'Jose.Nunez@Example.com',
  inconvenient_times: 'mon-fri 09:00-17:00|sun 00:00-23:59',
  inconvenient_places: 'work',
};

describe('customer records', () => {
  it('normalises a good record and derives the time-zone evidence of address and phone', () => {
    const v = validateCustomer(customer, ctx);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const row = v.staged.main.split('\t');
    expect(row).toContain('US');
    expect(row).toContain('FL');
    expect(row).toContain('America/Chicago');
    expect(row).toContain('postal_code');
    expect(row).toContain(
      '[{"days":["mon","tue","wed","thu","fri"],"from":"09:00","to":"17:00"},{"days":["sun"],"from":"00:00","to":"23:59"}]',
    );
    expect(v.staged.phones).toEqual([
      'C1\tmobile\t+18502345678\tUS\t{America/Chicago,America/New_York}\tarea_code\tt\tf\tf\tf',
    ]);
    expect(v.staged.email).toBe('C1\tjose.nunez@example.com\tf\tf');
  });

  it('reports every bad field of a record, not only the first', () => {
    const v = validateCustomer(
      {
        ...customer,
        region: 'ZZ',
        postal_code: '123',
        mobile_phone: '12345',
        email: 'nope',
        deceased: 'maybe',
        inconvenient_times: 'mon 25:00-26:00',
      },
      ctx,
    );
    expect(fields(v)).toEqual([
      'deceased',
      'email',
      'inconvenient_times',
      'mobile_phone',
      'postal_code',
      'region',
    ]);
  });

  it('requires the key, the names and the address', () => {
    expect(fields(validateCustomer({ country: 'US', region: 'NY' }, ctx))).toEqual([
      'address_line1',
      'city',
      'customer_number',
      'family_name',
      'given_name',
    ]);
  });

  it('reads UK postcodes and national phone numbers for the address country', () => {
    const v = validateCustomer(
      { ...customer, region: 'ENG', postal_code: 'sw1a1aa', country: 'GB', mobile_phone: '07911 123456' },
      ctx,
    );
    expect(v.ok).toBe(true);
    expect(main(v)).toContain('SW1A 1AA');
    if (v.ok) expect(v.staged.phones?.[0]).toContain('+447911123456');
  });
});

const loan = {
  loan_number: 'L1',
  customer_number: 'C1',
  product: 'credit_card',
  currency: 'usd',
  principal: '5000',
  outstanding: '1200.50',
  overdue: '75.25',
  dpd: '12',
  as_of: '2026-11-24',
};

describe('loan records', () => {
  it('turns amounts into minor units, never floats, and sets the bucket and oldest unpaid date', () => {
    const row = main(validateLoan(loan, ctx));
    expect(row.slice(0, 8)).toEqual(['L1', 'C1', 'credit_card', 'USD', '500000', '120050', '7525', '\\N']);
    expect(row).toContain('1-29');
    expect(row).toContain('2026-11-12');
  });

  it('derives DPD from the oldest unpaid due date and refuses a DPD that disagrees', () => {
    expect(
      main(validateLoan({ ...loan, dpd: undefined, oldest_unpaid_due_date: '2026-10-25' }, ctx)),
    ).toContain('30-59');
    expect(fields(validateLoan({ ...loan, oldest_unpaid_due_date: '2026-10-25' }, ctx))).toEqual(['dpd']);
  });

  it('refuses too many decimals for the currency, unknown products, future dates and a delinquent loan with nothing overdue', () => {
    expect(fields(validateLoan({ ...loan, outstanding: '10.123' }, ctx))).toEqual(['outstanding']);
    expect(
      fields(
        validateLoan({ ...loan, currency: 'JPY', principal: '10.5', outstanding: '10', overdue: '1' }, ctx),
      ),
    ).toEqual(['principal']);
    expect(fields(validateLoan({ ...loan, product: 'yacht' }, ctx))).toEqual(['product']);
    expect(fields(validateLoan({ ...loan, as_of: '2027-01-01' }, ctx))).toEqual(['as_of']);
    expect(fields(validateLoan({ ...loan, overdue: '0' }, ctx))).toEqual(['overdue']);
    expect(fields(validateLoan({ ...loan, dpd: '-1' }, ctx))).toEqual(['dpd']);
  });
});

describe('payment records', () => {
  const payment = {
    payment_ref: 'P-1',
    loan_number: 'L1',
    amount: '25.00',
    currency: 'USD',
    paid_at: '2026-11-20T14:03:00Z',
  };

  it('stores reversals as negative amounts', () => {
    expect(main(validatePayment(payment, ctx)).slice(0, 6)).toEqual([
      'P-1',
      'L1',
      'payment',
      '2500',
      'USD',
      '2026-11-20T14:03:00Z',
    ]);
    const reversal = main(
      validatePayment({ ...payment, payment_ref: 'P-2', kind: 'reversal', reverses_payment_ref: 'P-1' }, ctx),
    );
    expect(reversal.slice(2, 4)).toEqual(['reversal', '-2500']);
  });

  it('needs a time zone on the payment time, a positive amount, and a reference for a reversal', () => {
    expect(fields(validatePayment({ ...payment, paid_at: '2026-11-20T14:03:00' }, ctx))).toEqual(['paid_at']);
    expect(fields(validatePayment({ ...payment, amount: '0' }, ctx))).toEqual(['amount']);
    expect(fields(validatePayment({ ...payment, kind: 'reversal' }, ctx))).toEqual(['reverses_payment_ref']);
    expect(main(validatePayment({ ...payment, paid_at: '2026-11-20' }, ctx))).toContain(
      '2026-11-20T00:00:00Z',
    );
  });
});

describe('dates', () => {
  it('accepts real calendar days only, leap years included', () => {
    const asOf = (d: string) =>
      fields(validateLoan({ ...loan, as_of: d, dpd: '0', overdue: '0' }, { today: '2100-01-01' }));
    expect(asOf('2024-02-29')).toEqual([]);
    expect(asOf('2000-02-29')).toEqual([]);
    expect(asOf('2023-02-29')).toEqual(['as_of']);
    expect(asOf('1900-02-29')).toEqual(['as_of']);
    expect(asOf('2026-04-31')).toEqual(['as_of']);
    expect(asOf('2026-13-01')).toEqual(['as_of']);
  });

  it('counts days across months, years and leap days', () => {
    const dpd = (oldest: string, asOf: string) =>
      main(
        validateLoan(
          { ...loan, dpd: undefined, oldest_unpaid_due_date: oldest, as_of: asOf },
          { today: '2100-01-01' },
        ),
      )[11];
    expect(dpd('2024-02-28', '2024-03-01')).toBe('2');
    expect(dpd('2023-12-31', '2024-12-31')).toBe('366');
    expect(dpd('1999-12-31', '2000-03-01')).toBe('61');
  });
});

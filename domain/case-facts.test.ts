import { parseCaseFacts } from './case-facts-schema';
import { DEFAULT_FACT_CATALOGUE, factCatalogue, makeCaseFacts } from './case-facts';

describe('case facts', () => {
  it('derives the bucket from DPD and fills every flag', () => {
    const facts = makeCaseFacts({ dpd: 45, flags: { vulnerable: true } });
    expect(facts.bucket).toBe('30-59');
    expect(facts.flags.vulnerable).toBe(true);
    expect(facts.flags.dispute).toBe(false);
  });

  it('catalogues every fact with its type, including declared custom flags', () => {
    expect(DEFAULT_FACT_CATALOGUE.get('balance')?.type).toEqual({ kind: 'money' });
    expect(DEFAULT_FACT_CATALOGUE.get('bucket')?.type).toEqual({
      kind: 'enum',
      values: ['current', '1-29', '30-59', '60-89', '90-119', '120+'],
    });
    expect(DEFAULT_FACT_CATALOGUE.get('daysSinceLastContact')?.nullable).toBe(true);
    expect(factCatalogue(undefined, ['planAgreed']).get('flags.planAgreed')?.type).toEqual({
      kind: 'boolean',
    });
  });

  it('validates facts from files with readable errors', () => {
    const good = parseCaseFacts({ ...makeCaseFacts({ caseId: 'c-1' }), flags: { dispute: true } });
    expect(good.ok && good.facts.flags.dispute && !good.facts.flags.cease).toBe(true);
    const bad = parseCaseFacts({ ...makeCaseFacts(), balanceMinor: 12.5, currency: 'eur' });
    expect(bad).toEqual({
      ok: false,
      errors: [
        'balanceMinor: expected an integer amount in minor units',
        'currency: expected an ISO 4217 code such as EUR',
      ],
    });
  });
});

import { makeCaseFacts, type CaseFacts } from '../domain/case-facts';
import { DEFAULT_RESPONSE_MODEL, drawPersona, forecastBook, parseResponseModel } from './book-forecast';
import { fullDefinition, minimalDefinition } from './test-fixtures';
import { compileStrategy } from './validate';

function book(n: number): CaseFacts[] {
  return Array.from({ length: n }, (_, i) =>
    makeCaseFacts({ caseId: `case-${i}`, dpd: 1 + (i % 40), balanceMinor: 100_000 + i * 1_000 }),
  );
}

async function* asAsync<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

describe('book forecast', () => {
  const a = compileStrategy(minimalDefinition());
  const b = compileStrategy({ ...fullDefinition(), appliesTo: { buckets: ['1-29'] } });

  it('reports per day treatments by channel and call tasks per queue, for two versions side by side', async () => {
    const report = await forecastBook(asAsync(book(200)), {
      arms: [
        { label: 'A', plan: a },
        { label: 'B', plan: b },
      ],
      days: 30,
    });
    expect(report.casesRead).toBe(200);
    expect(report.scale).toBe(1);
    const [armA, armB] = report.arms;
    expect(armA?.days).toHaveLength(31);
    expect(armA?.days[0]?.date).toBe('2025-01-06');
    expect(armA?.cases).toBe(145);
    expect(armA?.notApplicable).toBe(55);
    expect(armA?.days[0]?.treatments).toEqual({ sms: 145 });
    expect(Object.keys(armA?.totals.callTasks ?? {})).toEqual(['early-stage']);
    expect(armB?.totals.escalations).toHaveProperty('agency');
    const outcomes = Object.values(armA?.outcomes ?? {}).reduce((x, y) => x + y, 0);
    expect(outcomes).toBe(145);
  });

  it('is reproducible for a seed, and the same debtor behaves the same in both arms', async () => {
    const options = { arms: [{ label: 'A', plan: a }], days: 20 };
    const first = await forecastBook(book(100), options);
    const second = await forecastBook(book(100), options);
    expect(second).toEqual(first);
    const reseeded = await forecastBook(book(100), {
      ...options,
      model: { ...DEFAULT_RESPONSE_MODEL, seed: 'other' },
    });
    expect(reseeded).not.toEqual(first);
    const facts = book(1)[0] as CaseFacts;
    expect(drawPersona(DEFAULT_RESPONSE_MODEL, facts, 'case-0')).toEqual(
      drawPersona(DEFAULT_RESPONSE_MODEL, facts, 'case-0'),
    );
  });

  it('follows the response model: nobody answering means nobody cures', async () => {
    const silent = { seed: 's', buckets: {}, default: { pays: 0, promises: 0, keepsPromise: 0 } };
    const everyonePays = { seed: 's', buckets: {}, default: { pays: 1, promises: 0, keepsPromise: 0 } };
    const arms = [{ label: 'A', plan: a }];
    const none = await forecastBook(book(50), { arms, days: 30, model: silent });
    const all = await forecastBook(book(50), { arms, days: 30, model: everyonePays });
    expect(none.arms[0]?.outcomes.cured).toBeUndefined();
    expect(all.arms[0]?.outcomes.cured).toBe(all.arms[0]?.cases);
  });

  it('samples a seeded subset and scales the figures to the book', async () => {
    const report = await forecastBook(book(1000), { arms: [{ label: 'A', plan: a }], days: 5, sample: 100 });
    expect(report.casesRead).toBe(1000);
    expect(report.casesSimulated).toBe(100);
    expect(report.scale).toBe(10);
    expect((report.arms[0]?.days[0]?.treatments.sms ?? 0) % 10).toBe(0);
  });

  it('counts the attempts a contact policy blocks, per rule', async () => {
    const report = await forecastBook(book(20), {
      arms: [{ label: 'A', plan: a }],
      days: 5,
      policy: (command) =>
        command.type === 'send_reminder' ? { allowed: false, rule: 'opt-out' } : { allowed: true },
    });
    expect(report.arms[0]?.totals.blocked).toEqual({ 'opt-out': 20 });
    expect(report.arms[0]?.totals.treatments).toEqual({});
  });

  it('validates response models', () => {
    expect(
      parseResponseModel({ buckets: { '1-29': { pays: 0.8, promises: 0.5, keepsPromise: 0.5 } } }),
    ).toEqual({
      ok: false,
      errors: ['buckets.1-29: pays + promises must not exceed 1 (the rest never answers)'],
    });
    expect(parseResponseModel({ seed: 7 })).toMatchObject({ ok: true, model: { seed: '7' } });
  });
});

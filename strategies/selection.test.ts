import { makeCaseFacts } from '../domain/case-facts';
import { sealPlan } from './compile';
import type { Plan } from './plan-types';
import { caseBucket, chooseArm, selectStrategy } from './selection';

function plan(id: string, buckets: string[] | null, marker = ''): Plan {
  return sealPlan({
    format: 1,
    strategyId: id,
    name: id,
    description: marker,
    appliesTo: { buckets, products: null, segments: null, condition: null },
    flags: [],
    start: 'end',
    steps: { end: { type: 'end', id: 'end', outcome: 'closed_other' } },
    handlers: {},
  });
}

describe('strategy selection at case open', () => {
  it('splits cases between champion and challenger by the percentages, stably per case', () => {
    const arms = [
      { version: 1, percent: 80, plan: plan('early', ['1-29'], 'v1') },
      { version: 2, percent: 20, plan: plan('early', ['1-29'], 'v2') },
    ];
    const counts = { 1: 0, 2: 0 } as Record<number, number>;
    for (let i = 0; i < 10_000; i++) counts[chooseArm('early', arms, `case-${i}`)!.version]!++;
    expect(counts[2]! / 10_000).toBeGreaterThan(0.18);
    expect(counts[2]! / 10_000).toBeLessThan(0.22);
    expect(chooseArm('early', arms, 'case-42')).toBe(chooseArm('early', arms, 'case-42'));
    expect(caseBucket('case-42')).toBe(caseBucket('case-42'));
  });

  it('never picks an arm at 0 percent, and nothing when every arm is at 0', () => {
    const arms = [
      { version: 1, percent: 100, plan: plan('early', null) },
      { version: 2, percent: 0, plan: plan('early', null) },
    ];
    for (let i = 0; i < 500; i++) expect(chooseArm('early', arms, `c${i}`)!.version).toBe(1);
    expect(chooseArm('early', [{ version: 1, percent: 0, plan: plan('early', null) }], 'c')).toBeUndefined();
  });

  it('follows the segment rules, lowest priority first', () => {
    const candidates = [
      {
        strategyId: 'late',
        priority: 100,
        arms: [{ version: 3, percent: 100, plan: plan('late', ['90-119', '120+']) }],
      },
      {
        strategyId: 'early',
        priority: 100,
        arms: [{ version: 1, percent: 100, plan: plan('early', ['1-29']) }],
      },
      {
        strategyId: 'vip',
        priority: 10,
        arms: [{ version: 1, percent: 100, plan: plan('vip', ['1-29', '30-59']) }],
      },
    ];
    expect(selectStrategy(candidates, makeCaseFacts({ dpd: 5 }), 'c1', 0)).toMatchObject({
      strategyId: 'vip',
      arm: 'vip@1',
    });
    expect(selectStrategy(candidates, makeCaseFacts({ dpd: 100 }), 'c1', 0)).toMatchObject({
      strategyId: 'late',
      version: 3,
    });
    expect(selectStrategy(candidates, makeCaseFacts({ dpd: 70 }), 'c1', 0)).toBeUndefined();
  });
});

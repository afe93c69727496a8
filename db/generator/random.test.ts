import { cumulative, Random, zipfWeights } from './random';

describe('the seeded generator', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('treats numeric and string seeds alike', () => {
    expect(new Random(7).next()).toBe(new Random('7').next());
  });

  it('keeps every draw inside its range', () => {
    const rng = new Random('ranges');
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      const r = rng.range(3, 7);
      expect(r >= 3 && r <= 7 && Number.isInteger(r)).toBe(true);
    }
    expect(rng.digits(4)).toMatch(/^\d{4}$/);
    expect(rng.digits(12)).toMatch(/^\d{12}$/);
  });

  it('draws weighted indexes in proportion to their weights', () => {
    const rng = new Random('weights');
    const cdf = cumulative([1, 3, 6]);
    const hits = [0, 0, 0];
    const n = 60_000;
    for (let i = 0; i < n; i++) hits[rng.weighted(cdf)]!++;
    expect(hits[0]! / n).toBeCloseTo(0.1, 1);
    expect(hits[1]! / n).toBeCloseTo(0.3, 1);
    expect(hits[2]! / n).toBeCloseTo(0.6, 1);
  });

  it('makes a long right tail with the log-normal', () => {
    const rng = new Random('tail');
    const xs = Array.from({ length: 20_000 }, () => rng.logNormal(1000, 0.8)).sort((p, q) => p - q);
    const median = xs[10_000]!;
    expect(median).toBeGreaterThan(900);
    expect(median).toBeLessThan(1100);
    expect(xs[19_900]! / median).toBeGreaterThan(5);
  });

  it('weights the head of a Zipf list more than its tail', () => {
    const w = zipfWeights(100);
    expect(w[0]!).toBeGreaterThan(w[10]!);
    expect(w[10]!).toBeGreaterThan(w[99]!);
  });
});

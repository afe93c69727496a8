import { foldAccents, nameTableSizes, personName, spellingVariant } from './names';
import { Random } from './random';

describe('synthetic names', () => {
  const rng = new Random('names-test');
  const people = Array.from({ length: 30_000 }, (_, i) => personName(rng, i % 20 === 0 ? 'GB' : 'US'));

  it('draws from thousands of given and family names', () => {
    const sizes = nameTableSizes();
    expect(sizes.given).toBeGreaterThan(1_000);
    expect(sizes.family).toBeGreaterThan(2_500);
    expect(new Set(people.map((p) => p.family)).size).toBeGreaterThan(4_000);
    expect(new Set(people.map((p) => p.given)).size).toBeGreaterThan(1_000);
  });

  it('mixes cultures, with accented spellings and their unaccented twins', () => {
    const cultures = new Set(people.map((p) => p.culture));
    expect(cultures.size).toBeGreaterThanOrEqual(12);
    const families = new Set(people.map((p) => p.family));
    expect(families.has('Núñez') && families.has('Nunez')).toBe(true);
    expect(families.has('Müller') && families.has('Mueller')).toBe(true);
    expect(people.some((p) => /[\u0080-\uffff]/.test(p.given))).toBe(true);
  });

  it('contains near-duplicates such as Meyer, Maier, Mayer and Meier', () => {
    const families = new Set(people.map((p) => p.family));
    for (const name of ['Meyer', 'Maier', 'Mayer', 'Meier']) expect(families.has(name)).toBe(true);
  });

  it('gives common names more often than rare ones (a long tail)', () => {
    const counts = new Map<string, number>();
    for (const p of people) counts.set(p.family, (counts.get(p.family) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]!).toBeGreaterThan(100);
    expect(sorted.filter((c) => c === 1).length).toBeGreaterThan(1_000);
  });

  it('speaks mostly English, with Spanish and other languages by culture', () => {
    const languages = new Map<string, number>();
    for (const p of people) languages.set(p.language, (languages.get(p.language) ?? 0) + 1);
    expect(languages.get('en')! / people.length).toBeGreaterThan(0.8);
    expect(languages.get('es')).toBeGreaterThan(500);
  });

  it('folds accents the way legacy systems store names', () => {
    expect(foldAccents('José Núñez')).toBe('Jose Nunez');
    expect(foldAccents('Łukasz Wiśniewski')).toBe('Lukasz Wisniewski');
    expect(foldAccents('Søren Æbelø')).toBe('Soren AEbelo');
    expect(foldAccents('Straße')).toBe('Strasse');
  });

  it('makes spelling variants that stay close to the name', () => {
    const r = new Random('variants');
    expect(spellingVariant(r, 'Meyer')).toBe('Mayer');
    const names = [
      'Schneider',
      'Phillips',
      'Catherine',
      'Hoffmann',
      'Jackson',
      'Johansson',
      'Kelly',
      'Müller',
    ];
    const variants = names.map((n) => spellingVariant(r, n));
    variants.forEach((v, i) => {
      expect(v).not.toBe(names[i]);
      expect(Math.abs(v.length - names[i]!.length)).toBeLessThanOrEqual(2);
    });
  });
});

import { CULTURES, CULTURE_WEIGHTS, type CultureData } from './names-data';
import { cumulative, type Random, zipfWeights } from './random';

/**
 * High-cardinality, multicultural person names: Zipf-weighted common names, a long tail of
 * stem + ending family names, Spanish/Portuguese double surnames, hyphenated names, spelling
 * variants (Meyer/Maier/Mayer), accents dropped as legacy systems do, and the odd record in
 * capitals.
 */

export interface PersonName {
  given: string;
  middle: string | null;
  family: string;
  language: string;
  culture: string;
}

interface Pool {
  names: string[];
  cdf: Float64Array;
}

interface Culture {
  data: CultureData;
  female: Pool;
  male: Pool;
  family: Pool;
}

const split = (list: string): string[] =>
  list
    .split(/\s+/)
    .filter(Boolean)
    .map((n) => n.replace(/_/g, ' '));

function pool(names: string[], tail: string[] = []): Pool {
  // The listed names are the common head; generated ones share a thin tail of weight.
  const head = zipfWeights(names.length, 1.05, 3);
  const headTotal = head.reduce((a, b) => a + b, 0);
  const tailWeight = tail.length ? (headTotal * 0.25) / tail.length : 0;
  return { names: [...names, ...tail], cdf: cumulative([...head, ...tail.map(() => tailWeight)]) };
}

function composedFamilyNames(data: CultureData, listed: Set<string>): string[] {
  if (!data.stems || !data.endings) return [];
  const out: string[] = [];
  for (const stem of split(data.stems)) {
    for (const ending of split(data.endings)) {
      const name = stem.endsWith("'") ? stem + ending : stem + ending.toLowerCase();
      if (!listed.has(name)) out.push(name);
    }
  }
  return out;
}

const CULTURE_TABLE: Map<string, Culture> = new Map(
  CULTURES.map((data) => {
    const family = split(data.family);
    return [
      data.id,
      {
        data,
        female: pool(split(data.female)),
        male: pool(split(data.male)),
        family: pool(family, composedFamilyNames(data, new Set(family))),
      },
    ];
  }),
);

const MIX = {
  US: mix(CULTURE_WEIGHTS.US),
  GB: mix(CULTURE_WEIGHTS.GB),
};

function mix(weights: Readonly<Record<string, number>>): { ids: string[]; cdf: Float64Array } {
  const ids = Object.keys(weights);
  return { ids, cdf: cumulative(ids.map((id) => weights[id] ?? 0)) };
}

/** Spelling changes that make plausible near-duplicates of a name. */
const VARIANTS: readonly [RegExp, string][] = [
  [/ei/, 'ai'],
  [/ai/, 'ei'],
  [/ey/, 'ay'],
  [/ay/, 'ey'],
  [/eier/, 'eyer'],
  [/y$/, 'ie'],
  [/ie$/, 'y'],
  [/ph/, 'f'],
  [/ck/, 'k'],
  [/^C(?=[aou])/, 'K'],
  [/^K(?=[aou])/, 'C'],
  [/ll/, 'l'],
  [/([aeiou])l([aeiou])/, '$1ll$2'],
  [/tt/, 't'],
  [/([aeiou])t([aeiou])/, '$1tt$2'],
  [/nn/, 'n'],
  [/mm/, 'm'],
  [/ss/, 's'],
  [/sson$/, 'son'],
  [/son$/, 'sen'],
  [/sen$/, 'son'],
  [/mann$/, 'man'],
  [/man$/, 'mann'],
  [/th/, 't'],
  [/ou/, 'ow'],
  [/ez$/, 'es'],
  [/ä/, 'ae'],
  [/ö/, 'oe'],
  [/ü/, 'ue'],
  [/ß/, 'ss'],
  [/i([^aeiou])/, 'y$1'],
  [/y([^aeiou])/, 'i$1'],
  [/ks/, 'x'],
  [/x/, 'ks'],
];

/** A spelling variant of `name`, or the name itself when no rule applies. */
export function spellingVariant(rng: Random, name: string): string {
  const start = rng.int(VARIANTS.length);
  for (let i = 0; i < VARIANTS.length; i++) {
    const [pattern, replacement] = VARIANTS[(start + i) % VARIANTS.length]!;
    if (pattern.test(name)) return name.replace(pattern, replacement);
  }
  return name;
}

const NON_ASCII = /[\u0080-\uffff]/;
const FOLD_EXTRA: Readonly<Record<string, string>> = {
  ß: 'ss',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  œ: 'oe',
  '’': "'",
};

/** The name without accents, as many legacy systems store it (José -> Jose, Łukasz -> Lukasz). */
export function foldAccents(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßøØæÆłŁđĐœ’]/g, (ch) => FOLD_EXTRA[ch] ?? ch);
}

function draw(rng: Random, p: Pool): string {
  return p.names[rng.weighted(p.cdf)]!;
}

function alter(rng: Random, name: string, variantShare: number): string {
  let out = name;
  if (rng.chance(variantShare)) out = spellingVariant(rng, out);
  if (NON_ASCII.test(out) && rng.chance(0.2)) out = foldAccents(out);
  return out;
}

export interface NameOptions {
  /** Share of family names given a spelling variant. */
  familyVariantShare?: number;
  givenVariantShare?: number;
}

/** One person's name for a customer in `country` (US or GB). */
export function personName(rng: Random, country: 'US' | 'GB', options: NameOptions = {}): PersonName {
  const m = MIX[country];
  const culture = CULTURE_TABLE.get(m.ids[rng.weighted(m.cdf)]!)!;
  const female = rng.chance(0.5);
  const givenPool = female ? culture.female : culture.male;
  const given = alter(rng, draw(rng, givenPool), options.givenVariantShare ?? 0.04);
  let middle: string | null = null;
  if (rng.chance(culture.data.middleNameShare)) {
    const name = draw(rng, givenPool);
    middle = name === given ? null : rng.chance(0.25) ? `${name[0]}.` : name;
  }
  let family = alter(rng, draw(rng, culture.family), options.familyVariantShare ?? 0.08);
  if (culture.data.doubleSurnameShare && rng.chance(culture.data.doubleSurnameShare)) {
    const second = alter(rng, draw(rng, culture.family), 0.04);
    if (second !== family) family = `${family} ${second}`;
  } else if (culture.data.hyphenShare && rng.chance(culture.data.hyphenShare)) {
    const second = draw(rng, culture.family);
    if (second !== family) family = `${family}-${second}`;
  }
  const language = rng.chance(culture.data.languageShare) ? culture.data.language : 'en';
  if (rng.chance(0.01)) {
    return {
      given: given.toUpperCase(),
      middle: middle?.toUpperCase() ?? null,
      family: family.toUpperCase(),
      language,
      culture: culture.data.id,
    };
  }
  return { given, middle, family, language, culture: culture.data.id };
}

/** How many distinct base names the tables hold (given, family), for documentation and tests. */
export function nameTableSizes(): { given: number; family: number } {
  let given = 0;
  let family = 0;
  for (const c of CULTURE_TABLE.values()) {
    given += c.female.names.length + c.male.names.length;
    family += c.family.names.length;
  }
  return { given, family };
}

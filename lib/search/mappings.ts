import type { estypes } from '@elastic/elasticsearch';

/**
 * Index settings and mappings for the search read models. Names get four views:
 *  - the field itself: standard analysis, for exact-word matches;
 *  - `.folded`: lower-cased and ASCII-folded, so "Jose Nunez" matches "José Núñez";
 *  - `.edge`: edge n-grams of the folded words, so "kath hof" matches "Katherine Hoffmann";
 *  - `.phonetic`: double metaphone codes, so "Maier" matches "Meyer".
 * The components (`edge_ngram`, `asciifolding`, `phonetic`) carry their official names and
 * parameters: the same mapping runs on the local node (with our analysis plugin) and on a
 * full Elasticsearch 8 with the official analysis-phonetic plugin.
 */
export const analysis: estypes.IndicesIndexSettingsAnalysis = {
  filter: {
    name_edge_ngram: { type: 'edge_ngram', min_gram: 2, max_gram: 15 },
    name_folding: { type: 'asciifolding', preserve_original: false },
    name_double_metaphone: { type: 'phonetic', encoder: 'double_metaphone', replace: true, max_code_len: 6 },
  },
  analyzer: {
    name_folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'name_folding'] },
    name_edge: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'name_folding', 'name_edge_ngram'] },
    name_phonetic: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'name_folding', 'name_double_metaphone'] },
  },
  normalizer: {
    lowercase_keyword: { type: 'custom', filter: ['lowercase'] },
  },
};

const nameField: estypes.MappingProperty = {
  type: 'text',
  analyzer: 'standard',
  fields: {
    folded: { type: 'text', analyzer: 'name_folded' },
    edge: { type: 'text', analyzer: 'name_edge', search_analyzer: 'name_folded' },
    phonetic: { type: 'text', analyzer: 'name_phonetic' },
    raw: { type: 'keyword', ignore_above: 256 },
  },
};

export const customerMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    customerId: { type: 'keyword' },
    fullName: nameField,
    givenName: nameField,
    familyName: nameField,
    phones: { type: 'keyword' },
    emails: { type: 'keyword', normalizer: 'lowercase_keyword' },
    nationalId: { type: 'keyword' },
    loanNumbers: { type: 'keyword' },
    country: { type: 'keyword' },
    region: { type: 'keyword' },
    postalCode: { type: 'keyword' },
    flags: { type: 'keyword' },
    updatedAt: { type: 'date' },
  },
};

export const caseMappings: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    caseId: { type: 'keyword' },
    loanId: { type: 'keyword' },
    loanNumber: { type: 'keyword' },
    customerId: { type: 'keyword' },
    customerName: nameField,
    status: { type: 'keyword' },
    bucket: { type: 'keyword' },
    dpd: { type: 'integer' },
    product: { type: 'keyword' },
    currency: { type: 'keyword' },
    amountOverdueMinor: { type: 'long' },
    outstandingMinor: { type: 'long' },
    strategyId: { type: 'keyword' },
    strategyVersion: { type: 'integer' },
    assignedQueue: { type: 'keyword' },
    assignedAgent: { type: 'keyword' },
    holds: { type: 'keyword' },
    openedAt: { type: 'date' },
    nextActionAt: { type: 'date' },
    updatedAt: { type: 'date' },
  },
};

export interface CustomerDocument {
  customerId: string;
  fullName: string;
  givenName?: string;
  familyName?: string;
  /** E.164, as `normalizePhone` gives them. */
  phones?: string[];
  emails?: string[];
  nationalId?: string;
  loanNumbers?: string[];
  country?: string;
  region?: string;
  postalCode?: string;
  flags?: string[];
  updatedAt?: string;
}

export interface CaseDocument {
  caseId: string;
  loanId: string;
  loanNumber?: string;
  customerId: string;
  customerName?: string;
  status: string;
  bucket?: string;
  dpd?: number;
  product?: string;
  currency?: string;
  amountOverdueMinor?: number;
  outstandingMinor?: number;
  strategyId?: string;
  strategyVersion?: number;
  assignedQueue?: string;
  assignedAgent?: string;
  holds?: string[];
  openedAt?: string;
  nextActionAt?: string;
  updatedAt?: string;
}

/** Each read model, its mapping and its current mapping version (bump it to re-project into a new index). */
export const SEARCH_MODELS = {
  customers: { mappings: customerMappings, version: 1 },
  cases: { mappings: caseMappings, version: 1 },
} as const;

export type SearchModel = keyof typeof SEARCH_MODELS;

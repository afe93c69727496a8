import type { estypes } from '@elastic/elasticsearch';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E.164 form used in the index and in queries, or undefined when it is not a phone number. */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'US'): string | undefined {
  const parsed = parsePhoneNumberFromString(input, defaultCountry);
  return parsed?.isPossible() ? parsed.number : undefined;
}

export interface CustomerSearch {
  /** Free text: part of a name, a misspelling, or a name as it sounds. */
  name?: string;
  phone?: string;
  email?: string;
  nationalId?: string;
  loanNumber?: string;
  size?: number;
  defaultCountry?: CountryCode;
}

/**
 * Names match partially, without accents, with typos and by sound, ranked so that the closer
 * kinds of match score higher; identifiers (phone, email, national id, loan number) match
 * exactly and filter.
 */
export function customerSearchQuery(search: CustomerSearch): estypes.SearchRequest {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (search.phone !== undefined) {
    filter.push({ term: { phones: normalizePhone(search.phone, search.defaultCountry) ?? search.phone } });
  }
  if (search.email !== undefined) filter.push({ term: { emails: search.email.trim().toLowerCase() } });
  if (search.nationalId !== undefined) filter.push({ term: { nationalId: search.nationalId.trim() } });
  if (search.loanNumber !== undefined) filter.push({ term: { loanNumbers: search.loanNumber.trim() } });

  const must: estypes.QueryDslQueryContainer[] = [];
  const name = search.name?.trim();
  if (name) must.push(nameQuery('fullName', name));

  return {
    size: search.size ?? 20,
    query: { bool: { must: must.length ? must : [{ match_all: {} }], filter } },
  };
}

/** One name query over the four views of a name field. */
export function nameQuery(field: string, text: string): estypes.QueryDslQueryContainer {
  return {
    bool: {
      should: [
        { match: { [`${field}.folded`]: { query: text, operator: 'and', boost: 4 } } },
        { match: { [`${field}.edge`]: { query: text, operator: 'and', boost: 3 } } },
        { match: { [`${field}.folded`]: { query: text, operator: 'and', fuzziness: 'AUTO', prefix_length: 1, boost: 2 } } },
        { match: { [`${field}.phonetic`]: { query: text, operator: 'and', boost: 1 } } },
      ],
      minimum_should_match: 1,
    },
  };
}

export interface CaseSearch {
  customerName?: string;
  loanNumber?: string;
  status?: string[];
  bucket?: string[];
  assignedQueue?: string;
  assignedAgent?: string;
  minDpd?: number;
  maxDpd?: number;
  size?: number;
  from?: number;
}

/** Case search for supervisors and agents; an agent's search is always filtered to their own cases by the caller. */
export function caseSearchQuery(search: CaseSearch): estypes.SearchRequest {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (search.loanNumber) filter.push({ term: { loanNumber: search.loanNumber } });
  if (search.status?.length) filter.push({ terms: { status: search.status } });
  if (search.bucket?.length) filter.push({ terms: { bucket: search.bucket } });
  if (search.assignedQueue) filter.push({ term: { assignedQueue: search.assignedQueue } });
  if (search.assignedAgent) filter.push({ term: { assignedAgent: search.assignedAgent } });
  if (search.minDpd !== undefined || search.maxDpd !== undefined) {
    filter.push({ range: { dpd: { gte: search.minDpd, lte: search.maxDpd } } });
  }
  const name = search.customerName?.trim();
  return {
    size: search.size ?? 50,
    from: search.from ?? 0,
    query: { bool: { must: name ? [nameQuery('customerName', name)] : [{ match_all: {} }], filter } },
    sort: name ? undefined : [{ dpd: 'desc' }, { caseId: 'asc' }],
  };
}

/**
 * The case workflow's custom search attributes: typed, and free of personal data (no names,
 * phones, emails, national ids or loan numbers), because Temporal's visibility store is read
 * by operators, not only by this system. Registered by the local stack at server start.
 */
export const CASE_SEARCH_ATTRIBUTES = {
  CaseStatus: 'Keyword',
  Bucket: 'Keyword',
  Dpd: 'Int',
  StrategyId: 'Keyword',
  StrategyVersion: 'Int',
  AssignedQueue: 'Keyword',
  AssignedAgent: 'Keyword',
  NextActionAt: 'Datetime',
} as const;

export type CaseSearchAttributeName = keyof typeof CASE_SEARCH_ATTRIBUTES;

import { defineSearchAttributeKey } from '@temporalio/common';
import type { CaseSearchAttributeName } from '../domain/search-attributes';

/** Typed keys for the case's search attributes (no personal data; see domain/search-attributes). */
export const CASE_SEARCH_ATTRIBUTE_KEYS = {
  CaseStatus: defineSearchAttributeKey('CaseStatus', 'KEYWORD'),
  Bucket: defineSearchAttributeKey('Bucket', 'KEYWORD'),
  Dpd: defineSearchAttributeKey('Dpd', 'INT'),
  StrategyId: defineSearchAttributeKey('StrategyId', 'KEYWORD'),
  StrategyVersion: defineSearchAttributeKey('StrategyVersion', 'INT'),
  AssignedQueue: defineSearchAttributeKey('AssignedQueue', 'KEYWORD'),
  AssignedAgent: defineSearchAttributeKey('AssignedAgent', 'KEYWORD'),
  NextActionAt: defineSearchAttributeKey('NextActionAt', 'DATETIME'),
} satisfies Record<CaseSearchAttributeName, unknown>;

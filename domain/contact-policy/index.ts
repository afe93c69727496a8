export * from './types';
export { evaluateContactAttempt, CONTACT_POLICY_ENGINE, type EvaluateOptions } from './evaluate';
export { CONTACT_POLICY_PACKS, selectPacks, normalizeJurisdiction, US_FEDERAL, US_MA, UK } from './packs';
export type { RulePack, RuleDefinition, RuleContext, RuleVerdict } from './rules';
export {
  addressZones,
  phoneZones,
  resolveZones,
  zonesForUsState,
  maskPhone,
  type ZoneResolution,
} from './time-zones';
export { ContactPolicyInputError } from './instants';
export { DEFERRAL_HORIZON_DAYS, type TimeConstraint } from './windows';
export {
  makeContactPolicyInput,
  noDebtorFlags,
  noDesignations,
  type ContactPolicyInputOverrides,
} from './builders';

import { usStateCode } from '../time-zones';
import type { RulePack } from '../rules';
import type { Jurisdiction } from '../types';
import { UK } from './uk';
import { US_FEDERAL } from './us-federal';
import { US_MA } from './us-ma';

export { UK, US_FEDERAL, US_MA };

/** Every pack in force, baselines before overlays (the order rules are evaluated and reported in). */
export const CONTACT_POLICY_PACKS: readonly RulePack[] = [US_FEDERAL, US_MA, UK];

/** `US` + `ma` → `US` + `MA`; `UK` is accepted for `GB`. */
export function normalizeJurisdiction(j: Jurisdiction): Jurisdiction {
  const upper = j.country.trim().toUpperCase();
  const country = upper === 'UK' ? 'GB' : upper;
  const region = j.region?.trim();
  if (!region) return { country };
  return { country, region: country === 'US' ? usStateCode(region) : region.toUpperCase() };
}

/**
 * The packs for a debtor: for each jurisdiction its country baseline and any overlay for its
 * region (US state → us-federal + the state's overlay; GB → uk). Each pack once, in registry order.
 */
export function selectPacks(
  jurisdictions: readonly Jurisdiction[],
  registry: readonly RulePack[] = CONTACT_POLICY_PACKS,
): RulePack[] {
  const normalized = jurisdictions.map(normalizeJurisdiction);
  return registry.filter((pack) =>
    normalized.some(
      (j) =>
        pack.appliesTo.country === j.country &&
        (pack.appliesTo.region === undefined || pack.appliesTo.region === j.region),
    ),
  );
}

import type {
  ContactAttempt,
  ContactPolicyInput,
  DebtorDesignations,
  DebtorFacts,
  DebtorFlags,
  LedgerCounters,
} from './types';

export function noDebtorFlags(): DebtorFlags {
  return {
    ceaseCommunication: false,
    attorney: null,
    bankruptcy: false,
    dispute: null,
    breathingSpace: null,
    deceased: false,
    vulnerable: false,
  };
}

export function noDesignations(): DebtorDesignations {
  return { times: [], places: [], destinationIds: [], channels: [] };
}

export interface ContactPolicyInputOverrides {
  readonly attempt?: Partial<ContactAttempt>;
  readonly debtor?: Partial<Omit<DebtorFacts, 'flags' | 'designations'>> & {
    readonly flags?: Partial<DebtorFlags>;
    readonly designations?: Partial<DebtorDesignations>;
  };
  readonly counters?: Partial<LedgerCounters>;
}

/**
 * A complete input from a partial one, for tests and tools: by default a manual call by a
 * workflow at 10:00 New York time to a New York debtor's mobile (consent on file), no flags,
 * no prior attempts.
 */
export function makeContactPolicyInput(o: ContactPolicyInputOverrides = {}): ContactPolicyInput {
  const { flags, designations, ...debtor } = o.debtor ?? {};
  return {
    attempt: {
      channel: 'call',
      destination: { id: 'phone-mobile' },
      purpose: 'collection',
      at: '2026-06-10T14:00:00Z',
      dialing: 'manual',
      initiatedBy: 'workflow',
      ...o.attempt,
    },
    debtor: {
      jurisdictions: [{ country: 'US', region: 'NY' }],
      address: { country: 'US', region: 'NY', postcode: '10001' },
      phones: [
        {
          id: 'phone-mobile',
          e164: '+12125550123',
          lineType: 'mobile',
          zones: ['America/New_York'],
          autodialConsent: true,
          place: 'mobile',
        },
      ],
      optOuts: [],
      ...debtor,
      designations: { ...noDesignations(), ...designations },
      flags: { ...noDebtorFlags(), ...flags },
    },
    counters: { recentAttempts: [], lastConversationAt: null, ...o.counters },
  };
}

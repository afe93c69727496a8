/**
 * What intake (and the generator) tell the rest of the system about cases.
 *
 * The durable channel is the outbox: every transition below is written as an outbox row in
 * the same transaction as the change, so nothing is lost if a process dies; the relay
 * publishes it. The in-process hooks are called after each committed chunk with the ids
 * that chunk produced, so a worker running intake in-process (or a test) can start the case
 * workflows at once instead of waiting for the relay. A hook that fails is logged and does
 * not undo the import: the outbox row is still there.
 */

/** Outbox topic of case lifecycle events; message key = case id (ordering per case). */
export const CASES_TOPIC = 'cases';
/** Outbox topic of payments on loans that have an open case; message key = case id. */
export const PAYMENTS_TOPIC = 'payments';

export const CASE_OPENED = 'case.opened';
export const CASE_CURE_DETECTED = 'case.cure_detected';
export const CASE_CURE_REVERTED = 'case.cure_reverted';
export const CASE_LOAN_UPDATED = 'case.loan_updated';
export const PAYMENT_RECEIVED = 'payment.received';
export const PAYMENT_REVERSED = 'payment.reversed';

/** Outbox payload of `case.opened` (dedupe key `case.opened:<caseId>`). */
export interface CaseOpenedEvent {
  caseId: number;
  loanId: number;
  customerId: number;
  dpd: number;
  bucket: string;
  overdueMinor: number;
  currency: string;
  openedAt: string;
}

/** `case.cure_detected`: the loan is back at DPD 0; the case workflow decides and closes it as cured. */
export interface CaseCureDetectedEvent {
  caseId: number;
  loanId: number;
  detectedAt: string;
}

/** `case.cure_reverted`: the loan went past due again before the workflow closed the case. */
export interface CaseCureRevertedEvent {
  caseId: number;
  loanId: number;
  dpd: number;
}

/** `case.loan_updated`: new balances or DPD for the loan of an open case (fresh case facts). */
export interface CaseLoanUpdatedEvent {
  caseId: number;
  loanId: number;
  dpd: number;
  bucket: string;
  overdueMinor: number;
  outstandingMinor: number;
  currency: string;
  status: string;
  disputed: boolean;
}

/** `payment.received` / `payment.reversed` for a loan with an open case (dedupe key `payment:<ref>`). */
export interface PaymentEvent {
  paymentId: number;
  paymentRef: string;
  caseId: number;
  loanId: number;
  kind: 'payment' | 'reversal';
  amountMinor: number;
  currency: string;
  paidAt: string;
}

/**
 * The case-workflow issue implements this to start one workflow per opened case
 * (workflow id `case-<loanId>`), e.g. with signal-with-start so a retry is harmless.
 */
export interface CaseOpenedHook {
  onCasesOpened(caseIds: readonly number[]): Promise<void>;
}

export interface IntakeHooks extends Partial<CaseOpenedHook> {
  /** Cases whose loan is back at DPD 0 (cure_pending_at set). */
  onCuresDetected?(caseIds: readonly number[]): Promise<void>;
  /** Payments recorded against loans with an open case. */
  onPaymentsReceived?(paymentIds: readonly number[]): Promise<void>;
}

export const NO_HOOKS: IntakeHooks = {};

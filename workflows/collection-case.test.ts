import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { ContactDecisionSummary } from '../domain/case-effects';
import { sealPlan } from '../strategies/compile';
import type { Plan } from '../strategies/plan-types';
import { LIBRARY_IDS, caseInput, factsFor, libraryPlan, recordingActivities } from '../test/helpers/case-workflow';
import { historyToText } from '../test/helpers/histories';
import { temporalTestEnvironment } from '../test/helpers/temporal';
import { collectionCase } from './collection-case';
import {
  type Actor,
  type CollectionCaseInput,
  bankruptcyUpdate,
  caseStateQuery,
  closeUpdate,
  createPromiseUpdate,
  loanUpdatedSignal,
  migrateStrategyUpdate,
  nextActionQuery,
  openDisputeUpdate,
  paymentReceivedSignal,
  recordCallOutcomeUpdate,
  releaseHoldUpdate,
  resolveDisputeUpdate,
} from './messages';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;
const agent: Actor = { id: 'agent-7', role: 'agent' };
const supervisor: Actor = { id: 'sup-1', role: 'supervisor' };
const HISTORIES = path.join(__dirname, '..', 'test', 'histories');

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
/** Each test's workflows report to their own recorder, so runs left behind by one test cannot pollute another. */
const recorders = new Map<string, ReturnType<typeof recordingActivities>>();
let recorder = recordingActivities();
const recorderFor = (workflowId: string) => recorders.get(workflowId) ?? recordingActivities();
/** The test server's clock: time skipping moves it far ahead of the machine's. */
const now = async () => env.currentTimeMs();
const taskQueue = `case-tests-${randomUUID()}`;

beforeAll(async () => {
  env = await temporalTestEnvironment();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./collection-case'),
    activities: {
      commitCaseEffects: (batch: Parameters<typeof recorder.activities.commitCaseEffects>[0]) =>
        recorderFor(batch.workflowId).activities.commitCaseEffects(batch),
      resolveStrategyPlan: (input: { caseId: string; strategyId: string }) =>
        recorderFor(`case-${input.caseId}`).activities.resolveStrategyPlan(input),
    },
  });
  running = worker.run();
}, 60_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function start(planId: string, overrides: Partial<CollectionCaseInput> = {}, decide?: (e: { channel: string; requestedAt: string }) => ContactDecisionSummary) {
  recorder = recordingActivities(decide ? { decide } : {});
  const caseId = randomUUID();
  recorders.set(`case-${caseId}`, recorder);
  const handle = await env.client.workflow.start(collectionCase, {
    taskQueue,
    workflowId: `case-${caseId}`,
    args: [caseInput(caseId, planId, overrides)],
  });
  return handle;
}

/** Saves the run's history for the replay test (UPDATE_HISTORIES=1 only). */
async function record(name: string, handle: WorkflowHandle) {
  if (process.env.UPDATE_HISTORIES !== '1') return;
  fs.mkdirSync(HISTORIES, { recursive: true });
  const history = await handle.fetchHistory();
  fs.writeFileSync(path.join(HISTORIES, `${name}.json`), historyToText(history));
}

const state = (handle: WorkflowHandle) => handle.query(caseStateQuery);

/** The workflow answers queries while its last batch is still being committed: wait for the commit. */
async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('the collection case workflow', () => {
  it.each(LIBRARY_IDS)('runs the %s strategy through 120 days with every effect keyed once', async (id) => {
    const handle = await start(id);
    await env.sleep(120 * DAY);
    const view = await state(handle);
    expect(view.counters.remindersSent + view.counters.callTasksCreated).toBeGreaterThan(0);
    const keys = recorder.effects().map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    // Sent reminders and created tasks match what the activities were asked to do.
    expect(recorder.ofKind('contact_request')).toHaveLength(view.counters.remindersSent);
    expect(recorder.ofKind('call_task')).toHaveLength(view.counters.callTasksCreated);
    await record(`library-${id}-120-days`, handle);
  });

  it('commits each effect batch inside the workflow task that produced it: a local activity, no activity task', async () => {
    const handle = await start('early-stage');
    await env.sleep(1 * DAY);
    const view = await state(handle);
    expect(view.counters.remindersSent).toBe(1);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
    const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
    // The patch marker, then one local-activity marker per committed batch.
    expect(markers.filter((m) => m === 'core_patch')).toHaveLength(1);
    expect(markers.filter((m) => m === 'core_local_activity')).toHaveLength(recorder.batches.length);
    await handle.terminate('test done');
  });

  it('closes as cured when the debtor pays after the first reminder and the loan is current again', async () => {
    const handle = await start('early-stage');
    await env.sleep(1 * DAY);
    expect(recorder.ofKind('contact_request').map((e) => e.channel)).toEqual(['sms']);
    await handle.signal(paymentReceivedSignal, { paymentId: 'pay-1', amountMinor: 15_000, currency: 'EUR', receivedAt: '2026-01-01T00:00:00Z' });
    await handle.signal(loanUpdatedSignal, { dpd: 0, balanceMinor: 235_000, amountOverdueMinor: 0, status: 'active', asOf: '2026-01-02' });
    const result = await handle.result();
    expect(result.outcome).toBe('cured');
    // The email reminder waiting behind the 3-day wait never goes out.
    expect(recorder.ofKind('contact_request').map((e) => e.channel)).toEqual(['sms']);
    expect(recorder.batches.at(-1)?.caseUpdate).toMatchObject({ status: 'closed', outcome: 'cured' });
    await record('early-stage-cured-after-payment', handle);
  });

  it('when a promise is kept by payments covering it, the strategy takes its kept path', async () => {
    const handle = await start('early-stage');
    await env.sleep(1 * DAY);
    const due = new Date((await now()) + 5 * DAY).toISOString();
    const created = await handle.executeUpdate(createPromiseUpdate, { args: [{ actor: agent, currency: 'EUR', amountMinor: 15_000, dueDate: due }] });
    expect(created.detail?.promiseId).toBeDefined();
    expect((await state(handle)).currentStep).toBe('await-promise');
    await env.sleep(2 * DAY);
    await handle.signal(paymentReceivedSignal, { paymentId: 'p-a', amountMinor: 10_000, currency: 'EUR', receivedAt: '2026-01-01T00:00:00Z' });
    // Partial payment does not keep a promise.
    expect((await state(handle)).promise).toMatchObject({ status: 'pending', paidMinor: 10_000 });
    await handle.signal(paymentReceivedSignal, { paymentId: 'p-b', amountMinor: 5_000, currency: 'EUR', receivedAt: '2026-01-01T00:00:00Z' });
    await handle.signal(paymentReceivedSignal, { paymentId: 'p-b', amountMinor: 5_000, currency: 'EUR', receivedAt: '2026-01-01T00:00:00Z' });
    const view = await state(handle);
    expect(view.promise).toMatchObject({ status: 'kept', paidMinor: 15_000 });
    expect(view.counters.paymentsReceived).toBe(2);
    expect(view.facts.promiseStatus).toBe('kept');
    await eventually(() => expect(recorder.timelineTypes()).toContain('promise_kept'));
    // Kept, and the arrears are paid: the strategy's check-cured step passes at once to its cured end.
    expect(view.currentStep).toBe('cured');
    expect(view.status).toBe('closed');
    expect((await handle.result()).outcome).toBe('cured');
    await record('early-stage-promise-kept', handle);
  });

  it('when a promise falls due without full payment, it breaks and the strategy escalates the call', async () => {
    const handle = await start('early-stage');
    await env.sleep(1 * DAY);
    await handle.executeUpdate(createPromiseUpdate, {
      args: [{ actor: agent, currency: 'EUR', amountMinor: 15_000, dueDate: new Date((await now()) + 3 * DAY).toISOString(), graceDays: 2 }],
    });
    await handle.signal(paymentReceivedSignal, { paymentId: 'partial', amountMinor: 1_000, currency: 'EUR', receivedAt: '2026-01-01T00:00:00Z' });
    await env.sleep(4 * DAY);
    expect((await state(handle)).promise?.status).toBe('pending');
    await env.sleep(2 * DAY);
    const view = await state(handle);
    expect(view.promise?.status).toBe('broken');
    expect(view.facts.brokenPromiseCount).toBe(1);
    await eventually(() => expect(recorder.timelineTypes()).toContain('promise_broken'));
    const urgent = recorder.ofKind('call_task').filter((t) => t.stepId === 'promise-broken-call');
    expect(urgent).toHaveLength(1);
    expect(urgent[0]!.priority).toBe(75);
    await record('early-stage-promise-broken', handle);
    await handle.terminate('test done');
  });

  it('holds a disputed case with no treatments, then resumes where it was once resolved', async () => {
    const handle = await start('early-stage');
    await env.sleep(1 * DAY);
    expect((await state(handle)).currentStep).toBe('wait-after-sms');
    const opened = await handle.executeUpdate(openDisputeUpdate, { args: [{ actor: agent, reason: 'not my debt' }] });
    expect(opened.status).toBe('held');
    const before = recorder.ofKind('contact_request').length + recorder.ofKind('call_task').length;
    await env.sleep(20 * DAY);
    expect(recorder.ofKind('contact_request').length + recorder.ofKind('call_task').length).toBe(before);
    const next = await handle.query(nextActionQuery);
    expect(next).toMatchObject({ kind: 'held', blockedBy: ['hold:dispute'] });
    await expect(handle.executeUpdate(openDisputeUpdate, { args: [{ actor: agent, reason: 'again' }] })).rejects.toThrow(WorkflowUpdateFailedError);

    const resolved = await handle.executeUpdate(resolveDisputeUpdate, { args: [{ actor: agent, resolution: 'verification_sent' }] });
    expect(resolved.status).toBe('open');
    expect((await state(handle)).currentStep).toBe('wait-after-sms');
    // The frozen 3-day wait had 2 days left: the email goes out after them, not at once.
    await env.sleep(1 * DAY);
    expect(recorder.ofKind('contact_request').map((e) => e.channel)).toEqual(['sms']);
    await env.sleep(2 * DAY);
    expect(recorder.ofKind('contact_request').map((e) => e.channel)).toEqual(['sms', 'email']);
    await record('early-stage-dispute-hold', handle);
    await handle.terminate('test done');
  });

  it('holds all collection on bankruptcy until a supervisor releases it', async () => {
    const handle = await start('mid-stage');
    await env.sleep(1 * DAY);
    await handle.executeUpdate(bankruptcyUpdate, { args: [{ actor: agent, reason: 'chapter 7 filing' }] });
    const before = recorder.ofKind('contact_request').length + recorder.ofKind('call_task').length;
    await env.sleep(45 * DAY);
    const view = await state(handle);
    expect(view.status).toBe('held');
    expect(view.holds.map((h) => h.kind)).toEqual(['bankruptcy']);
    expect(view.assignment.queue).toBe('bankruptcy');
    expect(recorder.ofKind('contact_request').length + recorder.ofKind('call_task').length).toBe(before);
    await expect(handle.executeUpdate(releaseHoldUpdate, { args: [{ actor: agent, hold: 'bankruptcy' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/supervisor/) } });
    const released = await handle.executeUpdate(releaseHoldUpdate, { args: [{ actor: supervisor, hold: 'bankruptcy' }] });
    expect(released.status).toBe('open');
    await record('mid-stage-bankruptcy-hold', handle);
    await handle.terminate('test done');
  });

  it('rejects an action invalid for the case state with a reason, and changes nothing', async () => {
    const handle = await start('early-stage');
    await env.sleep(1 * DAY);
    const before = await state(handle);
    const batchesBefore = recorder.batches.length;
    await expect(
      handle.executeUpdate(createPromiseUpdate, { args: [{ actor: agent, currency: 'USD', amountMinor: 100, dueDate: new Date((await now()) + DAY).toISOString() }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(resolveDisputeUpdate, { args: [{ actor: agent, resolution: 'withdrawn' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(closeUpdate, { args: [{ actor: agent, outcome: 'settled', reason: 'x' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(recordCallOutcomeUpdate, { args: [{ actor: agent, outcome: 'none' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    expect(await state(handle)).toEqual(before);
    expect(recorder.batches.length).toBe(batchesBefore);

    const closed = await handle.executeUpdate(closeUpdate, { args: [{ actor: supervisor, outcome: 'settled', reason: 'settlement agreed' }] });
    expect(closed.status).toBe('closed');
    expect((await handle.result()).outcome).toBe('settled');
  });

  it('an agent outcome reaches the strategy: wrong number sends the case to skip trace', async () => {
    const handle = await start('early-stage');
    await env.sleep(1 * DAY);
    const result = await handle.executeUpdate(recordCallOutcomeUpdate, { args: [{ actor: agent, outcome: 'wrong_number' }] });
    expect(result.status).toBe('open');
    const view = await state(handle);
    expect(view.assignment.queue).toBe('skip-trace');
    expect(view.lastContact?.outcome).toBe('wrong_number');
    await handle.terminate('test done');
  });

  it('continues as new with its state, and loses no message sent around the switch', async () => {
    const handle = await start('early-stage', { continueAsNewAfter: 3 });
    const firstRun = (await handle.describe()).runId;
    await env.sleep(1 * DAY);
    for (let i = 0; i < 6; i++) {
      await handle.signal(paymentReceivedSignal, { paymentId: `p-${i}`, amountMinor: 100, currency: 'EUR', receivedAt: '2026-01-01T00:00:00Z' });
    }
    // A duplicate of a payment from before the switch is still recognised after it.
    await handle.signal(paymentReceivedSignal, { paymentId: 'p-0', amountMinor: 100, currency: 'EUR', receivedAt: '2026-01-01T00:00:00Z' });
    await env.sleep(1 * DAY);
    const described = await env.client.workflow.getHandle(handle.workflowId).describe();
    expect(described.runId).not.toBe(firstRun);
    const view = await env.client.workflow.getHandle(handle.workflowId).query(caseStateQuery);
    expect(view.counters.paymentsReceived).toBe(6);
    expect(view.counters.amountPaidMinor).toBe(600);
    expect(view.facts.amountOverdueMinor).toBe(15_000 - 600);
    expect(view.counters.remindersSent).toBe(1);
    expect(view.currentStep).toBe('wait-after-sms');
    await env.sleep(3 * DAY);
    expect(recorder.ofKind('contact_request').map((e) => e.channel)).toEqual(['sms', 'email']);
    await env.client.workflow.getHandle(handle.workflowId).terminate('test done');
  });

  it('migrates a case to another version where the dry run said it would land', async () => {
    const handle = await start('early-stage');
    await env.sleep(1 * DAY);
    const v1 = libraryPlan('early-stage');
    const { hash: _hash, ...body } = v1;
    const v2: Plan = sealPlan({
      ...body,
      steps: { ...body.steps, 'wait-after-sms': { type: 'wait', id: 'wait-after-sms', durationMs: 1 * DAY, next: 'reminder-email' } },
    });
    const dry = await handle.executeUpdate(migrateStrategyUpdate, { args: [{ actor: supervisor, plan: v2, version: 2, dryRun: true }] });
    expect(dry).toMatchObject({ dryRun: true, fromVersion: 1, toVersion: 2, fromStep: 'wait-after-sms', toStep: 'wait-after-sms' });
    expect((await state(handle)).strategy.version).toBe(1);

    const mapped = await handle.executeUpdate(migrateStrategyUpdate, {
      args: [{ actor: supervisor, plan: v2, version: 2, dryRun: true, stepMap: { 'wait-after-sms': 'reminder-email' } }],
    });
    expect(mapped.toStep).toBe('reminder-email');
    const done = await handle.executeUpdate(migrateStrategyUpdate, {
      args: [{ actor: supervisor, plan: v2, version: 2, dryRun: false, stepMap: { 'wait-after-sms': 'reminder-email' } }],
    });
    expect(done).toEqual({ ...mapped, dryRun: false });
    const view = await state(handle);
    expect(view.strategy).toEqual({ id: 'early-stage', version: 2, planHash: v2.hash });
    // Landing on reminder-email sends it at once, then waits on v2's steps.
    expect(recorder.ofKind('contact_request').map((e) => e.channel)).toEqual(['sms', 'email']);
    expect(view.currentStep).toBe('wait-after-email');
    await eventually(() => expect(recorder.timelineTypes()).toContain('strategy_migrated'));
    await expect(
      handle.executeUpdate(migrateStrategyUpdate, { args: [{ actor: agent, plan: v2, version: 3, dryRun: true }] }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/supervisor/) } });
    await record('early-stage-migrated', handle);
    await handle.terminate('test done');
  });

  it('reschedules a contact the policy defers, and tells the strategy about a blocked one', async () => {
    let calls = 0;
    const handle = await start('early-stage', {}, (e) => {
      calls++;
      if (e.channel === 'sms' && calls === 1) return { decision: 'defer', until: new Date(Date.parse(e.requestedAt) + 11 * 60 * 60 * 1000).toISOString(), rule: 'us-federal/contact-hours' };
      if (e.channel === 'email') return { decision: 'block', rule: 'us-federal/opt-out', reason: 'email opted out' };
      return { decision: 'allow' };
    });
    await env.sleep(12 * 60 * 60 * 1000);
    const sms = recorder.ofKind('contact_request').filter((e) => e.channel === 'sms');
    expect(sms).toHaveLength(2);
    expect(sms[1]!.key.startsWith(`${sms[0]!.key}:retry@`)).toBe(true);
    await env.sleep(4 * DAY);
    const view = await state(handle);
    expect(view.counters.contactsBlocked).toBe(1);
    await handle.terminate('test done');
  });

  it('answers where the case is and what happens next', async () => {
    const handle = await start('early-stage', { facts: factsFor('early-stage', { flags: { vulnerable: true } }) });
    await env.sleep(60 * 60 * 1000);
    const view = await state(handle);
    expect(view).toMatchObject({ status: 'open', strategy: { id: 'early-stage', version: 1 }, currentStep: 'wait-after-first-call', assignment: { queue: 'vulnerable-customers' } });
    const next = await handle.query(nextActionQuery);
    expect(next.kind).toBe('timer');
    expect(next.stepId).toBe('wait-after-first-call');
    expect(Date.parse(next.at!)).toBeGreaterThan(await now());
    await handle.terminate('test done');
  });
});

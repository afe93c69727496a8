import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agentMayAccessCase, caseExists } from '../../db/repositories/case-access';
import { contactDecisionCounts, contactEvidenceForCase, listContactEvidence } from '../../db/repositories/contact-evidence';
import { ContactLedgerError, mayContactNow, recordContactOutcome, recordManualContact } from '../../db/repositories/contact-ledger';
import type { Database } from '../../db/schema';
import { CHANNELS, CONTACT_PURPOSES } from '../../domain/contact-policy';
import { CONTACT_OUTCOMES } from '../../domain/case-facts';
import { forbidden, requireRole } from '../auth';
import { HttpProblem, PROBLEM_BASE, notFound } from '../problem';

const caseIdParam = z.coerce.number().int().positive();
const question = z.strictObject({
  channel: z.enum(CHANNELS),
  destinationId: z.string().min(1).optional(),
  purpose: z.enum(CONTACT_PURPOSES).optional(),
  /** When the agent will dial; default now. */
  at: z.iso.datetime({ offset: true }).optional(),
});
const attempt = question.extend({
  destinationId: z.string().min(1),
  outcome: z.enum(CONTACT_OUTCOMES).optional(),
  taskId: z.number().int().positive().optional(),
});
const outcomeBody = z.strictObject({ outcome: z.enum(CONTACT_OUTCOMES), at: z.iso.datetime({ offset: true }).optional() });
const evidenceQuery = z.strictObject({
  rule: z.string().min(1).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  decision: z.enum(['allowed', 'blocked', 'deferred', 'held', 'advised']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().optional(),
  evidence: z.enum(['true', 'false']).optional(),
});

const wrap = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
  handler(req, res).catch((err: unknown) => {
    if (err instanceof ContactLedgerError) {
      const status = err.code === 'CASE_NOT_FOUND' ? 404 : err.code === 'IDEMPOTENCY_CONFLICT' ? 409 : 400;
      next(new HttpProblem({ type: `${PROBLEM_BASE}${err.code.toLowerCase().replace(/_/g, '-')}`, title: err.message, status, detail: err.message }));
    } else next(err);
  });
};

/**
 * Agent-initiated contact goes through the same contact policy as the strategy's reminders:
 * ask before dialling, then record the attempt (checked and recorded atomically: if the slot
 * went meanwhile, the answer says so and the agent must not dial).
 */
export function contactsRouter(db: Kysely<Database>): Router {
  const router = Router();

  const caseFor = async (req: Request): Promise<number> => {
    const caseId = caseIdParam.parse(req.params.caseId);
    const principal = req.principal!;
    if (principal.role === 'agent') {
      if (!(await agentMayAccessCase(db, Number(principal.id), caseId))) throw notFound(`case ${caseId} is not one of your cases`);
    } else if (!['supervisor', 'manager', 'admin'].includes(principal.role)) {
      throw forbidden('only agents, supervisors and managers act on cases');
    } else if (!(await caseExists(db, caseId))) {
      throw notFound(`case ${caseId} does not exist`);
    }
    return caseId;
  };
  const agentId = (req: Request) => (/^\d+$/.test(req.principal!.id) ? Number(req.principal!.id) : null);

  router.post(
    '/cases/:caseId/contact-check',
    wrap(async (req, res) => {
      const caseId = await caseFor(req);
      const body = question.parse(req.body);
      const check = await mayContactNow(db, {
        caseId,
        channel: body.channel,
        agentId: agentId(req),
        at: body.at ? new Date(body.at) : new Date(),
        ...(body.destinationId ? { destinationId: body.destinationId } : {}),
        ...(body.purpose ? { purpose: body.purpose } : {}),
      });
      res.json({ ...check.summary, destinationId: check.destination, rulePackVersion: check.rulePackVersion, advice: check.advice, retryAfter: check.retryAfter ?? null });
    }),
  );

  router.post(
    '/cases/:caseId/contact-attempts',
    wrap(async (req, res) => {
      const caseId = await caseFor(req);
      const key = req.header('Idempotency-Key');
      if (!key) throw new HttpProblem({ type: `${PROBLEM_BASE}validation`, title: 'The request is not valid', status: 400, detail: 'Idempotency-Key: the header is required', errors: [{ field: 'Idempotency-Key', message: 'required' }] });
      const body = attempt.parse(req.body);
      const recorded = await recordManualContact(db, {
        caseId,
        channel: body.channel,
        destinationId: body.destinationId,
        agentId: agentId(req),
        at: body.at ? new Date(body.at) : new Date(),
        idempotencyKey: key,
        ...(body.outcome ? { outcome: body.outcome } : {}),
        ...(body.taskId ? { taskId: body.taskId } : {}),
        ...(body.purpose ? { purpose: body.purpose } : {}),
      });
      res.status(recorded.replayed ? 200 : 201).json({
        attemptId: recorded.attemptId,
        ...recorded.summary,
        mayDial: recorded.summary.decision === 'allow',
        destinationId: recorded.destination,
        rulePackVersion: recorded.rulePackVersion,
        advice: recorded.advice,
        replayed: recorded.replayed,
      });
    }),
  );

  router.put(
    '/cases/:caseId/contact-attempts/:key/outcome',
    wrap(async (req, res) => {
      const caseId = await caseFor(req);
      const body = outcomeBody.parse(req.body);
      const updated = await recordContactOutcome(db, { caseId, idempotencyKey: String(req.params.key), outcome: body.outcome, at: body.at ? new Date(body.at) : new Date() });
      if (!updated) throw notFound(`no contact attempt with key ${req.params.key} on case ${caseId}`);
      res.status(204).end();
    }),
  );

  router.get(
    '/cases/:caseId/contact-evidence',
    wrap(async (req, res) => {
      const caseId = await caseFor(req);
      const q = evidenceQuery.parse(req.query);
      res.json(await contactEvidenceForCase(db, caseId, { ...(q.limit ? { limit: q.limit } : {}), cursor: q.cursor ?? null, includeEvidence: q.evidence === 'true' }));
    }),
  );

  router.get(
    '/compliance/contact-evidence',
    requireRole('supervisor', 'manager', 'admin'),
    wrap(async (req, res) => {
      const q = evidenceQuery.parse(req.query);
      res.json(
        await listContactEvidence(
          db,
          {
            ...(q.rule ? { rule: q.rule } : {}),
            ...(q.from ? { from: new Date(q.from) } : {}),
            ...(q.to ? { to: new Date(q.to) } : {}),
            ...(q.decision ? { decisions: [q.decision] } : {}),
          },
          { ...(q.limit ? { limit: q.limit } : {}), cursor: q.cursor ?? null, includeEvidence: q.evidence === 'true' },
        ),
      );
    }),
  );

  router.get(
    '/compliance/contact-decisions',
    requireRole('supervisor', 'manager', 'admin'),
    wrap(async (req, res) => {
      const q = evidenceQuery.parse(req.query);
      // Default period: the last 30 days.
      const to = q.to ? new Date(q.to) : new Date();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
      res.json(await contactDecisionCounts(db, { from, to }));
    }),
  );

  return router;
}

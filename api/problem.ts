import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../lib/logger';

/** RFC 9457 problem details; `type` values are stable and documented in the OpenAPI document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
}

export const PROBLEM_BASE = 'https://collections.example/problems/';

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export function notFound(detail = 'No such resource.'): HttpProblem {
  return new HttpProblem({ type: `${PROBLEM_BASE}not-found`, title: 'Not found', status: 404, detail });
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(notFound(`No route for ${req.method} ${req.path}.`));
};

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem: Problem;
    if (err instanceof HttpProblem) {
      problem = err.problem;
    } else if (err instanceof ZodError) {
      problem = {
        type: `${PROBLEM_BASE}validation`,
        title: 'The request is not valid',
        status: 400,
        errors: err.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message })),
      };
      problem.detail = problem.errors!.map((e) => `${e.field}: ${e.message}`).join('; ');
    } else if (err?.type === 'entity.parse.failed') {
      problem = { type: `${PROBLEM_BASE}malformed-json`, title: 'The body is not valid JSON', status: 400 };
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
      problem = { type: `${PROBLEM_BASE}internal`, title: 'Internal error', status: 500 };
    }
    res.status(problem.status).type('application/problem+json').json({ ...problem, instance: req.originalUrl });
  };
}

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SignJWT, jwtVerify } from 'jose';
import { HttpProblem, PROBLEM_BASE } from './problem';

export const ROLES = ['agent', 'supervisor', 'manager', 'designer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** The agent's id (agents.id); never a name. */
  id: string;
  role: Role;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export interface AuthSettings {
  secret: string;
  issuer: string;
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** A bearer token for an agent or supervisor (the identity provider's job in production; tests and the demo use this). */
export async function issueToken(settings: AuthSettings, principal: Principal, ttl = '8h'): Promise<string> {
  return new SignJWT({ role: principal.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.id)
    .setIssuer(settings.issuer)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key(settings.secret));
}

const unauthorized = (detail: string) =>
  new HttpProblem({ type: `${PROBLEM_BASE}unauthorized`, title: 'Authentication required', status: 401, detail });

export const forbidden = (detail: string) =>
  new HttpProblem({ type: `${PROBLEM_BASE}forbidden`, title: 'Not allowed', status: 403, detail });

/** Every route behind this needs a valid bearer token; the principal lands on `req.principal`. */
export function authenticate(settings: AuthSettings): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) return next(unauthorized('send Authorization: Bearer <token>'));
    jwtVerify(token, key(settings.secret), { issuer: settings.issuer, algorithms: ['HS256'] }).then(
      ({ payload }) => {
        const role = payload.role as Role;
        if (!payload.sub || !ROLES.includes(role)) return next(unauthorized('the token has no subject or role'));
        req.principal = { id: payload.sub, role };
        next();
      },
      () => next(unauthorized('the token is invalid or expired')),
    );
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal || !roles.includes(req.principal.role)) return next(forbidden(`this needs one of the roles: ${roles.join(', ')}`));
    next();
  };
}

import pino, { type Logger } from 'pino';
import type { Config } from './config';

/** Personal data never reaches the logs: these paths are censored wherever they appear. */
export const PII_PATHS = [
  'name', 'firstName', 'lastName', 'givenName', 'familyName', 'fullName',
  'phone', 'phones', 'email', 'emails', 'address', 'addresses', 'postalAddress', 'nationalId', 'dateOfBirth',
  'destination', 'customer.name', 'customer.phone', 'customer.email', 'customer.nationalId',
  '*.name', '*.firstName', '*.lastName', '*.fullName', '*.phone', '*.email', '*.address', '*.nationalId', '*.destination',
  'req.headers.authorization', 'req.headers.cookie',
];

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: { paths: PII_PATHS, censor: '[redacted]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };

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

/**
 * The process's logger. The service is named in `service`, not in pino's `name`, which the PII
 * paths would censor.
 */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'>,
  service: string,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      redact: { paths: PII_PATHS, censor: '[redacted]' },
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };

import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * One configuration for every address, port, credential and tuning knob. Each entry point
 * parses it once (`loadConfig`) and passes it down; nothing else reads `process.env`.
 * Defaults are the local stack's: everything on 127.0.0.1, on the project's own ports.
 */

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const defaultDataDir = isRoot
  ? '/var/lib/collections-orchestrator'
  : path.join(os.homedir(), '.local', 'share', 'collections-orchestrator');
const defaultCacheDir = isRoot
  ? '/var/cache/collections-orchestrator'
  : path.join(os.homedir(), '.cache', 'collections-orchestrator');

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a port number 1-65535' })
    .int('expected a port number 1-65535')
    .min(1, 'expected a port number 1-65535')
    .max(65535, 'expected a port number 1-65535')
    .default(fallback);

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a positive integer' })
    .int('expected a positive integer')
    .positive('expected a positive integer')
    .default(fallback);

/** "true"/"false"/"1"/"0"/"yes"/"no": `z.coerce.boolean` would take "false" as true. */
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const host = (fallback: string) => z.string().min(1, 'expected a host name or address').default(fallback);

const hostPortList = z
  .string()
  .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'expected host:port[,host:port...]');

const url = (fallback: string) => z.url({ error: 'expected an http(s) URL' }).default(fallback);

const heap = (fallback: string) => z.string().regex(/^\d+[mg]$/, 'expected a JVM heap size such as 512m or 1g').default(fallback);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'expected development, test or production' }).default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),

  STACK_DATA_DIR: z.string().min(1, 'expected a directory path').default(defaultDataDir),
  STACK_CACHE_DIR: z.string().min(1, 'expected a directory path').default(defaultCacheDir),
  STACK_START_TIMEOUT_SECONDS: positiveInt(120),

  PG_HOST: host('127.0.0.1'),
  PG_PORT: port(55432),
  PG_USER: z.string().min(1, 'expected a user name').default('postgres'),
  PG_PASSWORD: z.string().default(''),
  PG_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case database name').default('collections'),
  PG_POOL_MAX: positiveInt(10),
  PG_SHARED_BUFFERS: z.string().regex(/^\d+(kB|MB|GB)$/, 'expected a size such as 512MB or 2GB').default('1GB'),
  /** Monthly partitions kept ready ahead of today for the history tables (db:migrate and intake create them). */
  PG_PARTITION_MONTHS_AHEAD: positiveInt(3),
  /** Rows per intake transaction: the unit that an interrupted import resumes from. */
  INTAKE_CHUNK_ROWS: positiveInt(50000),
  /** Days contact-policy decisions (compliance evidence) are kept before the purge may remove them: at least 3 years. */
  CONTACT_EVIDENCE_RETENTION_DAYS: z.coerce
    .number({ error: 'expected a number of days, at least 1095 (3 years)' })
    .int('expected a number of days, at least 1095 (3 years)')
    .min(1095, 'expected a number of days, at least 1095 (3 years)')
    .default(1095),

  REDIS_HOST: host('127.0.0.1'),
  REDIS_PORT: port(56379),
  REDIS_KEY_PREFIX: z.string().default('co:'),

  KAFKA_BROKERS: hostPortList.default('127.0.0.1:59092'),
  KAFKA_CONTROLLER_PORT: port(59093),
  KAFKA_CLIENT_ID: z.string().min(1).default('collections-orchestrator'),
  KAFKA_HEAP: heap('512m'),

  ES_URL: url('http://127.0.0.1:59200'),
  ES_TRANSPORT_PORT: port(59300),
  ES_INDEX_PREFIX: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case index prefix').default('collections'),
  ES_HEAP: heap('512m'),

  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port').default('127.0.0.1:57233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('collection-cases'),
  TEMPORAL_UI_PORT: port(58233),
  TEMPORAL_TEST_SERVER_PORT: port(57234),

  WORKER_MAX_CACHED_WORKFLOWS: positiveInt(2000),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt(40),
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt(100),
  /** Effect batches run as local activities, in the worker that runs the workflow task. */
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: positiveInt(100),
  WORKER_SHUTDOWN_GRACE_SECONDS: positiveInt(30),
  WORKER_MAX_WORKFLOW_TASK_POLLS: positiveInt(10),
  /** A prebuilt bundle (`npm run build:workflows`); empty: bundle the workflows at start. */
  WORKER_WORKFLOW_BUNDLE: z.string().default(''),

  API_HOST: host('127.0.0.1'),
  /** HS256 key for agents' and supervisors' bearer tokens; `npm start` makes one in the data directory when unset. */
  API_JWT_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  API_JWT_ISSUER: z.string().min(1).default('collections-orchestrator'),
  DEMO_DATA: bool(true),
  API_PORT: port(58080),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly expected: string, readonly got: string | undefined) {
    super(
      `Configuration error: ${variable} ${got === undefined ? 'is missing' : `is ${JSON.stringify(got)}`}: ${expected}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parse the configuration from an environment (default `process.env`). Throws ConfigError on the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? '(unknown)');
    throw new ConfigError(variable, issue.message, input[variable]);
  }
  return parsed.data;
}

/**
 * For entry points: read `.env` (without overriding the environment), parse, and on a bad
 * value print one line and exit 1 instead of failing halfway through start-up.
 */
export function loadConfigOrExit(): Config {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('dotenv').config({ quiet: true });
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

export function pgConnectionString(config: Config, database = config.PG_DATABASE): string {
  const auth = config.PG_PASSWORD
    ? `${encodeURIComponent(config.PG_USER)}:${encodeURIComponent(config.PG_PASSWORD)}`
    : encodeURIComponent(config.PG_USER);
  return `postgres://${auth}@${config.PG_HOST}:${config.PG_PORT}/${database}`;
}

export function kafkaBrokers(config: Config): string[] {
  return config.KAFKA_BROKERS.split(',');
}

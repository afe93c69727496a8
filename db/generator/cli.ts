import os from 'node:os';
import { loadConfigOrExit } from '../../lib/config';
import { createProgress, type Progress } from '../progress';
import { GeneratorRefusal, generatePortfolio } from './index';
import { validateGeneratorOptions } from './portfolio';

const USAGE = `usage: npm run generate -- --customers N --loans M [--seed S] [--as-of YYYY-MM-DD] [--replace | --if-empty]
                                  [--no-cases] [--workers W] [--json]
  --customers N   customers to generate (>= 1)
  --loans M       loans, between N and 5N (every customer has 1-5)
  --seed S        the same seed gives the same portfolio (default 1)
  --as-of DATE    the portfolio's as-of date (default today); DPD and dates are relative to it
  --replace       delete the existing portfolio (customers, loans, cases and their history) first
  --if-empty      do nothing when the database already holds a portfolio
  --no-cases      do not open cases for delinquent loans
  --workers W     worker threads generating rows (default: cores - 1, leaving one to PostgreSQL, at least 1,
                  at most 4; 0 generates in the main thread); the rows do not depend on it
  --json          print the figures as one JSON line at the end`;

interface Args {
  customers: number;
  loans: number;
  seed: string;
  asOf?: string;
  replace: boolean;
  ifEmpty: boolean;
  cases: boolean;
  workers: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = {
    customers: NaN,
    loans: NaN,
    seed: '1',
    replace: false,
    ifEmpty: false,
    cases: true,
    workers: Math.max(1, Math.min(4, os.cpus().length - 1)),
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--customers':
        args.customers = Number(value());
        break;
      case '--loans':
        args.loans = Number(value());
        break;
      case '--seed':
        args.seed = value() ?? '';
        break;
      case '--as-of':
        args.asOf = value();
        break;
      case '--replace':
        args.replace = true;
        break;
      case '--if-empty':
        args.ifEmpty = true;
        break;
      case '--no-cases':
        args.cases = false;
        break;
      case '--workers':
        args.workers = Number(value());
        if (!Number.isInteger(args.workers) || args.workers < 0)
          return '--workers must be a whole number >= 0';
        break;
      case '--json':
        args.json = true;
        break;
      case '--help':
      case '-h':
        return '';
      default:
        return `unknown argument ${argv[i]}`;
    }
  }
  if (!args.seed) return '--seed needs a value';
  const problems = validateGeneratorOptions({ ...args, asOf: args.asOf ?? '2000-01-01' });
  return problems.length ? problems.join('\n') : args;
}

const n = (x: number) => x.toLocaleString('en-US');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    if (args) console.error(`generate: ${args}`);
    console.error(USAGE);
    return 2;
  }
  const config = loadConfigOrExit();
  let progress: Progress | undefined;
  const started = performance.now();
  try {
    const result = await generatePortfolio(config, {
      customers: args.customers,
      loans: args.loans,
      seed: args.seed,
      asOf: args.asOf,
      replace: args.replace,
      ifEmpty: args.ifEmpty,
      openCases: args.cases,
      workers: args.workers,
      onProgress: (p) => progress?.update(p.customersDone, p.rows),
      onPhase: (phase) => {
        if (phase.name === 'drop indexes')
          progress = createProgress({ label: 'generate', total: args.customers, unit: 'customers' });
        if (phase.name === 'generate + COPY') progress?.stop();
        if (args.json) return;
        const rate =
          phase.rows && phase.name === 'generate + COPY'
            ? `, ${n(Math.round(phase.rows / (phase.ms / 1000)))} rows/s`
            : '';
        console.log(
          `generate: ${phase.name} ${(phase.ms / 1000).toFixed(1)} s${phase.rows !== undefined ? ` (${n(phase.rows)})` : ''}${rate}`,
        );
      },
    });
    if (result.status === 'skipped') {
      console.log('generate: the database already holds a portfolio; left as it is');
      return 0;
    }
    const seconds = (performance.now() - started) / 1000;
    if (args.json) {
      console.log(JSON.stringify({ ...result, seconds }));
    } else {
      console.log(
        `generate: ${n(result.counts.customers)} customers, ${n(result.counts.loans)} loans, ` +
          `${n(result.counts.customer_phones)} phones, ${n(result.counts.customer_emails)} emails, ` +
          `${n(result.casesOpened)} cases opened in ${seconds.toFixed(1)} s; ` +
          `generator peak RSS ${Math.round(result.peakRssBytes / 2 ** 20)} MB, database ${Math.round(result.databaseBytes / 2 ** 20)} MB`,
      );
    }
    return 0;
  } catch (err) {
    progress?.stop();
    if (err instanceof GeneratorRefusal) {
      console.error(`generate: ${err.message}`);
      return 2;
    }
    console.error(`generate: failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

main().then((code) => process.exit(code));

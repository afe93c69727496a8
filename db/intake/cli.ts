import { loadConfigOrExit } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { createProgress, type Progress } from '../progress';
import type { IntakeKind } from '../schema';
import { IntakeRefusal, runIntake } from './run';

const USAGE = `usage: npm run intake -- FILE [--kind customers|loans|payments] [--force]
  FILE     a CSV file with a header row, or NDJSON (one JSON object per line); see db/README.md
  --kind   what the file holds (default: recognised from its columns)
  --force  import a file that was already imported completely (changes nothing if the data is the same)
Exit status: 0 all rows loaded, 3 loaded with rejected rows (listed), 2 file refused or bad usage, 1 failure.`;

interface Args {
  file: string;
  kind?: IntakeKind;
  force: boolean;
}

function parseArgs(argv: string[]): Args | string {
  let file: string | undefined;
  let kind: IntakeKind | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--kind') {
      const value = argv[++i];
      if (value !== 'customers' && value !== 'loans' && value !== 'payments')
        return '--kind must be customers, loans or payments';
      kind = value;
    } else if (arg.startsWith('--kind=')) {
      const value = arg.slice(7);
      if (value !== 'customers' && value !== 'loans' && value !== 'payments')
        return '--kind must be customers, loans or payments';
      kind = value;
    } else if (arg === '--force') force = true;
    else if (arg === '--help' || arg === '-h') return '';
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (file) return 'give one file';
    else file = arg;
  }
  return file ? { file, kind, force } : 'give the file to import';
}

const n = (x: number) => x.toLocaleString('en-US');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    if (args) console.error(`intake: ${args}`);
    console.error(USAGE);
    return 2;
  }
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'intake');
  let progress: Progress | undefined;
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    progress?.stop();
    console.error(
      '\nintake: interrupted; the chunks committed so far are kept. Run the same command again to finish.',
    );
    process.exit(130);
  });
  try {
    const result = await runIntake(config, {
      file: args.file,
      kind: args.kind,
      force: args.force,
      logger,
      onStart: ({ runId, kind, format, bytes, resumeFrom }) => {
        console.log(
          `intake: ${args.file} (${format.toUpperCase()}, ${kind}, ${n(bytes)} bytes), run ${runId}` +
            (resumeFrom ? `, resuming after record ${n(resumeFrom)}` : ''),
        );
        progress = createProgress({ label: `intake ${kind}`, total: bytes, unit: 'bytes' });
      },
      onProgress: ({ bytes, records }) => progress?.update(bytes, records),
      onUnknownColumns: (cols) =>
        console.warn(`intake: ignoring unknown column${cols.length > 1 ? 's' : ''} ${cols.join(', ')}`),
    });
    progress?.stop();
    if (result.status === 'skipped') {
      console.log(
        `intake: ${args.file} was already imported completely (run ${result.runId}); nothing to do. ` +
          'Use --force to read it again.',
      );
      return 0;
    }
    const loaded = result.inserted + result.updated + result.unchanged;
    console.log(
      `intake: done in ${(result.ms / 1000).toFixed(1)} s, ${n(Math.round(result.records / (result.ms / 1000)))} records/s: ` +
        `${n(result.records)} records, ${n(loaded)} loaded (${n(result.inserted)} new, ${n(result.updated)} changed, ` +
        `${n(result.unchanged)} unchanged), ${n(result.rejected)} rejected` +
        (result.kind === 'loans'
          ? `; ${n(result.casesOpened)} cases opened, ${n(result.curesDetected)} marked for cure`
          : ''),
    );
    if (result.rejected > 0) {
      console.log(
        `rejected rows (first ${result.errors.length}; all are in intake_errors for run ${result.runId}):`,
      );
      for (const e of result.errors) console.log(`  line ${e.line}, ${e.field}: ${e.reason}`);
      return 3;
    }
    return 0;
  } catch (err) {
    progress?.stop();
    if (interrupted) return 130;
    if (err instanceof IntakeRefusal) {
      console.error(`intake: ${err.message}`);
      return 2;
    }
    console.error(`intake: failed: ${err instanceof Error ? err.message : String(err)}`);
    console.error('intake: the chunks committed so far are kept; run the same command again to resume.');
    return 1;
  }
}

main().then((code) => process.exit(code));

import { loadConfigOrExit } from '../lib/config';
import { createDb } from '../lib/db';
import { migrateDown, migrateToLatest } from './migrator';

const USAGE = `usage: npm run db:migrate [-- latest | down | down --all | reset]
  latest       apply every pending migration (default), rebuild indexes a crashed bulk load
               left dropped, and create the coming months' partitions
  down         undo the newest migration
  down --all   undo every migration (same as reset): the database is left empty`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const command = args[0] ?? 'latest';
  const all = args.includes('--all') || command === 'reset';
  if (
    !['latest', 'down', 'reset'].includes(command) ||
    args.some((a) => a.startsWith('-') && a !== '--all')
  ) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfigOrExit();
  const db = createDb(config);
  try {
    const applied =
      command === 'latest'
        ? await migrateToLatest(db, { partitionMonthsAhead: config.PG_PARTITION_MONTHS_AHEAD })
        : await migrateDown(db, all);
    if (applied.length === 0) console.log(`db:migrate ${config.PG_DATABASE}: nothing to do`);
    for (const line of applied) console.log(`db:migrate ${config.PG_DATABASE}: ${line}`);
    return 0;
  } catch (err) {
    console.error(`db:migrate ${config.PG_DATABASE}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

main().then((code) => process.exit(code));

import type { Database } from './schema';
import { publishLibrary } from './strategy-library';
import { loadConfigOrExit } from '../lib/config';
import { createDb } from '../lib/db';

/** `npm run strategies:library`: publish changed library strategies and seed queues and rollouts. */
async function main(): Promise<void> {
  const db = createDb<Database>(loadConfigOrExit());
  try {
    const report = await publishLibrary(db);
    for (const p of report.published) console.log(`  published ${p.strategyId} v${p.version}`);
    if (report.unchanged.length) console.log(`  unchanged: ${report.unchanged.join(', ')}`);
    for (const r of report.rolloutsSet) console.log(`  new cases now start on ${r} (100%)`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

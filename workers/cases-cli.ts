import { Presets, SingleBar } from 'cli-progress';
import { PgStrategyStore } from '../db/repositories/strategy-store';
import type { Database } from '../db/schema';
import { loadConfigOrExit } from '../lib/config';
import { createDb } from '../lib/db';
import { createTemporalClient } from '../lib/temporal';
import { countCases, migrateCases } from './case-migration';

const usage = `usage:
  npm run cases -- count "<visibility query>"
  npm run cases -- migrate "<visibility query>" --to STRATEGY@VERSION [--map FROM=TO ...] [--dry-run] [--as SUPERVISOR_ID]

  The query reads the case search attributes: CaseStatus, Bucket, Dpd, StrategyId,
  StrategyVersion, AssignedQueue, AssignedAgent, NextActionAt. Example:
    npm run cases -- migrate "StrategyId = 'early-stage' AND StrategyVersion = 1" --to early-stage@2 --dry-run`;

async function main(): Promise<number> {
  const [command, query, ...rest] = process.argv.slice(2);
  if (!command || !query || !['count', 'migrate'].includes(command)) {
    console.error(usage);
    return 2;
  }
  const config = loadConfigOrExit();
  const client = await createTemporalClient(config);
  try {
    if (command === 'count') {
      console.log(`${await countCases(client, query)} running case(s) match`);
      return 0;
    }
    const to = rest[rest.indexOf('--to') + 1];
    const match = rest.includes('--to') && to ? /^([a-z0-9][a-z0-9-]*)@(\d+)$/.exec(to) : null;
    if (!match) {
      console.error(`--to STRATEGY@VERSION is required\n${usage}`);
      return 2;
    }
    const stepMap: Record<string, string> = {};
    rest.forEach((arg, i) => {
      if (arg === '--map') {
        const [from, target] = (rest[i + 1] ?? '').split('=');
        if (from && target) stepMap[from] = target;
      }
    });
    const db = createDb<Database>(config);
    const version = await new PgStrategyStore(db).getVersion(match[1]!, Number(match[2]));
    await db.destroy();
    if (!version) {
      console.error(`${to} is not a published version`);
      return 1;
    }
    const dryRun = rest.includes('--dry-run');
    const supervisor = rest.includes('--as') ? rest[rest.indexOf('--as') + 1]! : 'cli';
    const total = await countCases(client, query);
    console.log(`${total} running case(s) match; ${dryRun ? 'previewing' : 'migrating'} to ${to}`);
    const bar = process.stdout.isTTY ? new SingleBar({ format: '{bar} {value}/{total} cases', hideCursor: true }, Presets.shades_classic) : undefined;
    bar?.start(total, 0);
    const report = await migrateCases(client, {
      query,
      plan: version.plan,
      version: version.version,
      actor: { id: supervisor, role: 'supervisor' },
      dryRun,
      stepMap,
      onProgress: (done, all) => (bar ? bar.update(done, { total: all }) : done % 1000 === 0 && console.log(`${done}/${all}`)),
    });
    bar?.stop();
    console.log(`${dryRun ? 'would land' : 'landed'}:`);
    for (const [landing, n] of Object.entries(report.landings).sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(7)}  ${landing}`);
    if (!dryRun) console.log(`migrated ${report.migrated} of ${report.matched}`);
    for (const f of report.failed.slice(0, 20)) console.log(`  refused ${f.workflowId}: ${f.reason}`);
    if (report.failed.length > 20) console.log(`  ... and ${report.failed.length - 20} more refused`);
    return report.failed.length > 0 && !dryRun ? 1 : 0;
  } finally {
    await client.connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

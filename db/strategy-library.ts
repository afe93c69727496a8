import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { DEFAULT_CATALOGUE } from '../strategies/catalogue';
import { latestVersion, publishSource } from '../strategies/versions';
import { PgStrategyStore } from './repositories/strategy-store';
import type { Database } from './schema';

export const LIBRARY_DIR = path.join(__dirname, '..', 'strategies', 'library');

/** The library strategies new cases start on (hardship-plan is reached by transfer only). */
export const ENTRY_STRATEGIES = ['early-stage', 'mid-stage', 'late-stage'];

export interface LibraryReport {
  published: { strategyId: string; version: number }[];
  unchanged: string[];
  rolloutsSet: string[];
}

/**
 * Makes the library usable by a fresh system: the work queues the catalogue names, each library
 * strategy published (a new version only when its file changed), and a 100% rollout for the
 * entry strategies that have none yet. Safe to run at every start.
 */
export async function publishLibrary(db: Kysely<Database>, by = 'system:library'): Promise<LibraryReport> {
  await db
    .insertInto('queues')
    .values(DEFAULT_CATALOGUE.queues.map((id) => ({ id, name: id.replace(/-/g, ' ') })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const store = new PgStrategyStore(db);
  const report: LibraryReport = { published: [], unchanged: [], rolloutsSet: [] };
  const files = fs.readdirSync(LIBRARY_DIR).filter((f) => f.endsWith('.yaml')).sort();
  for (const file of files) {
    const source = fs.readFileSync(path.join(LIBRARY_DIR, file), 'utf8');
    const result = await publishSource(store, source, { by, at: new Date().toISOString(), note: `library file ${file}` });
    if (result.ok) report.published.push({ strategyId: result.version.strategyId, version: result.version.version });
    else if (result.reason === 'unchanged') report.unchanged.push(file.replace(/\.yaml$/, ''));
    else throw new Error(`library strategy ${file} could not be published: ${result.message}`);
  }
  for (const strategyId of ENTRY_STRATEGIES) {
    const existing = await db.selectFrom('strategy_rollouts').select(sql<number>`count(*)::int`.as('n')).where('strategy_id', '=', strategyId).executeTakeFirst();
    if ((existing?.n ?? 0) > 0) continue;
    const latest = await latestVersion(store, strategyId);
    if (!latest) continue;
    await store.setRollout(strategyId, [{ version: latest.version, percent: 100 }], by);
    report.rolloutsSet.push(`${strategyId}@${latest.version}`);
  }
  return report;
}

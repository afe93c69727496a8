import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromText } from '../test/helpers/histories';

/**
 * Histories recorded from real runs of the case workflow (workflows/collection-case.test.ts with
 * UPDATE_HISTORIES=1) are replayed against today's code: a change that would break a running
 * case (non-determinism) fails here, not in production. Histories of earlier versions of the
 * workflow stay in subfolders named after the change that followed them (e.g.
 * before-local-effect-batches/), for as long as cases started by that version may still run.
 */
const HISTORIES = path.join(__dirname, '..', 'test', 'histories');
const files = (fs.readdirSync(HISTORIES, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();
const current = files.filter((f) => !f.includes(path.sep));

describe('replay of recorded case histories', () => {
  it('has recorded histories of the current version and of earlier ones to replay', () => {
    expect(current.length).toBeGreaterThanOrEqual(8);
    expect(files.length).toBeGreaterThan(current.length);
  });

  it.each(files)('replays %s without non-determinism', async (file) => {
    const history = historyFromText(fs.readFileSync(path.join(HISTORIES, file), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: require.resolve('./collection-case') }, history, file.replace(/\.json$/, ''));
  }, 60_000);
});

/**
 * Golden simulations of the library strategies over the standard scenarios. Any change to a
 * strategy, the interpreter or the simulator that changes what a case experiences fails here.
 *
 * After an intended change, regenerate and review the diff of __golden__/:
 *   UPDATE_GOLDEN=1 npx jest --selectProjects unit strategies/library
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { validateStrategySource } from '../load';
import { STANDARD_SCENARIOS } from '../scenarios';
import { combineTotals, simulateScenario } from '../simulator';

const dir = __dirname;
const goldenDir = path.join(dir, '__golden__');
const update = process.env.UPDATE_GOLDEN === '1';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('library strategies', () => {
  it('has the four stages a collections department needs', () => {
    expect(files).toEqual(['early-stage.yaml', 'hardship-plan.yaml', 'late-stage.yaml', 'mid-stage.yaml']);
  });

  describe.each(files)('%s', (file) => {
    const result = validateStrategySource(readFileSync(path.join(dir, file), 'utf8'));

    it('is valid, without warnings, and its id matches the file name', () => {
      if (!result.ok) throw new Error(result.errors.map((e) => `${e.pathText}: ${e.message}`).join('\n'));
      expect(result.warnings).toEqual([]);
      expect(`${result.plan.strategyId}.yaml`).toBe(file);
    });

    it('simulates the standard scenarios exactly as its golden file records', () => {
      if (!result.ok) throw new Error(`${file} is invalid`);
      const results = STANDARD_SCENARIOS.map((scenario) => simulateScenario(result.plan, scenario));
      const actual = {
        strategyId: result.plan.strategyId,
        planHash: result.plan.hash,
        totals: combineTotals(results),
        results,
      };
      const goldenFile = path.join(goldenDir, file.replace(/\.yaml$/, '.json'));
      const text = JSON.stringify(actual, null, 2);
      if (update) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(goldenFile, `${text}\n`);
        // Formatted like the rest of the repository, so `prettier --write` leaves golden files alone.
        execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', goldenFile]);
        return;
      }
      if (!existsSync(goldenFile)) {
        throw new Error(
          `${goldenFile} is missing: run UPDATE_GOLDEN=1 npx jest --selectProjects unit strategies/library`,
        );
      }
      expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(goldenFile, 'utf8')));
    });
  });
});

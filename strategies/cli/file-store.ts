/**
 * A StrategyStore on disk for designers working with the CLI:
 *   DIR/<strategy-id>/draft.json     the draft (source text + metadata)
 *   DIR/<strategy-id>/v<N>.json      published version N, written once (O_EXCL), never rewritten
 * The PostgreSQL store replaces it in the service; the version model is the same.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  VersionConflictError,
  type StrategyDraft,
  type StrategyStore,
  type StrategyVersion,
} from '../versions';

export class FileStrategyStore implements StrategyStore {
  constructor(private readonly dir: string) {}

  private strategyDir(strategyId: string): string {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(strategyId)) throw new Error(`'${strategyId}' is not a strategy id`);
    return path.join(this.dir, strategyId);
  }

  private async readJson<T>(file: string): Promise<T | undefined> {
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async listStrategies(): Promise<string[]> {
    try {
      const entries = await fs.readdir(this.dir, { withFileTypes: true });
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async getDraft(strategyId: string): Promise<StrategyDraft | undefined> {
    return this.readJson<StrategyDraft>(path.join(this.strategyDir(strategyId), 'draft.json'));
  }

  async putDraft(draft: StrategyDraft): Promise<void> {
    const dir = this.strategyDir(draft.strategyId);
    await fs.mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `draft.json.${process.pid}.tmp`);
    await fs.writeFile(tmp, JSON.stringify(draft, null, 2));
    await fs.rename(tmp, path.join(dir, 'draft.json'));
  }

  async deleteDraft(strategyId: string): Promise<void> {
    await fs.rm(path.join(this.strategyDir(strategyId), 'draft.json'), { force: true });
  }

  async listVersions(strategyId: string): Promise<StrategyVersion[]> {
    const dir = this.strategyDir(strategyId);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const numbers = names
      .map((n) => /^v(\d+)\.json$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const versions: StrategyVersion[] = [];
    for (const n of numbers) {
      const version = await this.getVersion(strategyId, n);
      if (version) versions.push(version);
    }
    return versions;
  }

  async getVersion(strategyId: string, version: number): Promise<StrategyVersion | undefined> {
    return this.readJson<StrategyVersion>(path.join(this.strategyDir(strategyId), `v${version}.json`));
  }

  async insertVersion(version: StrategyVersion): Promise<void> {
    const dir = this.strategyDir(version.strategyId);
    await fs.mkdir(dir, { recursive: true });
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path.join(dir, `v${version.version}.json`), 'wx', 0o444);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new VersionConflictError(version.strategyId, version.version);
      }
      throw error;
    }
    try {
      await handle.writeFile(JSON.stringify(version, null, 2));
    } finally {
      await handle.close();
    }
  }
}

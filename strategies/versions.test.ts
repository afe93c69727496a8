import { stringify } from 'yaml';
import { minimalDefinition } from './test-fixtures';
import {
  InMemoryStrategyStore,
  VersionConflictError,
  diffPlans,
  formatDiff,
  publishDraft,
  publishSource,
  saveDraft,
} from './versions';
import { compileStrategy } from './validate';

const alice = { by: 'alice', at: '2025-01-06T09:00:00.000Z' };
const bob = { by: 'bob', at: '2025-01-07T09:00:00.000Z' };

function source(mutate: (d: ReturnType<typeof minimalDefinition>) => void = () => {}): string {
  const definition = minimalDefinition();
  mutate(definition);
  return stringify(definition);
}

describe('strategy versions', () => {
  it('saves an invalid draft, reports its errors, and refuses to publish it', async () => {
    const store = new InMemoryStrategyStore();
    const saved = await saveDraft(
      store,
      source((d) => (d.steps[1] = { ...d.steps[1], duration: 'soon' })),
      alice,
    );
    expect(saved.ok && saved.errors.map((e) => [e.pathText, e.line])).toEqual([['steps[1].duration', 14]]);
    const published = await publishDraft(store, 'test-strategy', alice);
    expect(published).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: 'test-strategy has 1 error(s) and cannot be published',
    });
    expect(await store.listVersions('test-strategy')).toEqual([]);
  });

  it('publishes numbered, hashed versions and clears the draft', async () => {
    const store = new InMemoryStrategyStore();
    const first = await publishSource(store, source(), { ...alice, note: 'first cut' });
    expect(first).toMatchObject({
      ok: true,
      version: { version: 1, publishedBy: 'alice', note: 'first cut' },
    });
    expect(await store.getDraft('test-strategy')).toBeUndefined();
    const second = await publishSource(
      store,
      source((d) => (d.steps[1] = { ...d.steps[1], duration: '2d' })),
      bob,
    );
    expect(second).toMatchObject({ ok: true, version: { version: 2, publishedBy: 'bob' } });
    if (!first.ok || !second.ok) return;
    expect(first.version.hash).not.toBe(second.version.hash);
    expect((await store.listVersions('test-strategy')).map((v) => v.version)).toEqual([1, 2]);
  });

  it('refuses to publish a draft that changes nothing', async () => {
    const store = new InMemoryStrategyStore();
    await publishSource(store, source(), alice);
    const again = await publishSource(store, `# only a comment changed\n${source()}`, bob);
    expect(again).toMatchObject({ ok: false, reason: 'unchanged' });
  });

  it('refuses a draft based on a version older than the latest', async () => {
    const store = new InMemoryStrategyStore();
    await publishSource(store, source(), alice);
    await saveDraft(
      store,
      source((d) => (d.name = 'Alice edit')),
      alice,
    );
    await store.insertVersion({ ...(await store.getVersion('test-strategy', 1))!, version: 2 });
    const result = await publishDraft(store, 'test-strategy', alice);
    expect(result).toMatchObject({ ok: false, reason: 'stale_draft' });
  });

  it('keeps published versions immutable', async () => {
    const store = new InMemoryStrategyStore();
    const published = await publishSource(store, source(), alice);
    if (!published.ok) throw new Error('not published');
    await expect(store.insertVersion({ ...published.version, note: 'rewritten' })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    const stored = await store.getVersion('test-strategy', 1);
    expect(() => {
      (stored as { note: string }).note = 'changed';
    }).toThrow(TypeError);
    expect((await store.getVersion('test-strategy', 1))?.note).toBe('');
  });

  it('diffs two versions: steps added, removed and changed, and handler changes', () => {
    const before = compileStrategy(minimalDefinition());
    const changed = minimalDefinition();
    changed.steps[1] = { ...changed.steps[1], duration: '2d' };
    changed.steps[2] = { ...changed.steps[2], next: 'letter' };
    changed.steps.splice(3, 0, {
      id: 'letter',
      type: 'send_reminder',
      channel: 'letter',
      template: 'final-demand',
      next: 'check',
    });
    changed.on.hardship = { assign: { queue: 'hardship' } };
    const after = compileStrategy(changed);
    const diff = diffPlans(before, after);
    expect(diff.identical).toBe(false);
    expect(diff.stepsAdded).toEqual([
      { id: 'letter', summary: 'send_reminder channel=letter template=final-demand next=check' },
    ]);
    expect(diff.stepsRemoved).toEqual([]);
    expect(diff.stepsChanged).toEqual([
      { id: 'wait', changes: [{ field: 'duration', before: '3d', after: '2d' }] },
      { id: 'call', changes: [{ field: 'next', before: 'check', after: 'letter' }] },
    ]);
    expect(formatDiff(diff)).toEqual([
      '+ step letter: send_reminder channel=letter template=final-demand next=check',
      "~ step wait.duration: '3d' → '2d'",
      "~ step call.next: 'check' → 'letter'",
      "~ on.hardship: (none) → 'assign queue=hardship'",
      '1 added, 0 removed, 2 changed steps; 1 handler change(s)',
    ]);
    expect(formatDiff(diffPlans(before, before))).toEqual([`identical plans (${before.hash})`]);
  });
});

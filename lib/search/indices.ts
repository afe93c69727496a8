import type { Client } from '@elastic/elasticsearch';
import { SEARCH_MODELS, type SearchModel, analysis } from './mappings';

/**
 * Versioned index names behind aliases: readers and writers use the alias
 * (`<prefix>-customers`); a mapping change creates `<prefix>-customers-v<N+1>`, is filled by
 * re-projecting from PostgreSQL (the system of record), and the alias moves atomically.
 */
export function aliasName(prefix: string, model: SearchModel): string {
  return `${prefix}-${model}`;
}

export function indexName(prefix: string, model: SearchModel, version: number = SEARCH_MODELS[model].version): string {
  return `${aliasName(prefix, model)}-v${version}`;
}

export async function createIndex(
  client: Client,
  prefix: string,
  model: SearchModel,
  version: number = SEARCH_MODELS[model].version,
  settings: { shards?: number; replicas?: number } = {},
): Promise<string> {
  const index = indexName(prefix, model, version);
  if (!(await client.indices.exists({ index }))) {
    await client.indices.create({
      index,
      settings: {
        number_of_shards: settings.shards ?? 1,
        number_of_replicas: settings.replicas ?? 0,
        analysis,
      },
      mappings: SEARCH_MODELS[model].mappings,
    });
  }
  return index;
}

/** Point the alias at exactly one index, in one atomic alias update. */
export async function swapAlias(client: Client, prefix: string, model: SearchModel, index: string): Promise<void> {
  const alias = aliasName(prefix, model);
  const current = (await client.indices.existsAlias({ name: alias }))
    ? Object.keys(await client.indices.getAlias({ name: alias }))
    : [];
  await client.indices.updateAliases({
    actions: [
      ...current.filter((i) => i !== index).map((i) => ({ remove: { index: i, alias } })),
      { add: { index, alias, is_write_index: true } },
    ],
  });
}

/** Create the current version of each model's index if missing and make sure its alias points there. */
export async function ensureSearchIndices(client: Client, prefix: string, models: SearchModel[] = ['customers', 'cases']): Promise<void> {
  for (const model of models) {
    const index = await createIndex(client, prefix, model);
    const alias = aliasName(prefix, model);
    const exists = await client.indices.existsAlias({ name: alias });
    if (!exists) await swapAlias(client, prefix, model, index);
  }
}

/** Delete every index of a prefix (tests and `stack:reset` style clean-ups only). */
export async function dropSearchIndices(client: Client, prefix: string): Promise<void> {
  await client.indices.delete({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
}

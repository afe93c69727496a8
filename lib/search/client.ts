import { Client } from '@elastic/elasticsearch';
import type { Config } from '../config';

export function createSearchClient(config: Pick<Config, 'ES_URL'>): Client {
  return new Client({ node: config.ES_URL, requestTimeout: 30_000, maxRetries: 3 });
}

/** `GET /` is not served by every distribution we run; cluster health is. */
export async function searchHealth(client: Client): Promise<string> {
  const health = await client.cluster.health();
  return health.status;
}

export type { Client as SearchClient };

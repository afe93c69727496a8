import { Client, Connection } from '@temporalio/client';
import type { Config } from './config';

export async function createTemporalConnection(config: Config): Promise<Connection> {
  return Connection.connect({ address: config.TEMPORAL_ADDRESS });
}

export async function createTemporalClient(config: Config, connection?: Connection): Promise<Client> {
  return new Client({ connection: connection ?? (await createTemporalConnection(config)), namespace: config.TEMPORAL_NAMESPACE });
}

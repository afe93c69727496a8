import { portOpen, stackPaths } from '../../infra/stack/common';
import { temporalCli } from '../../infra/stack/services/temporal';
import { TemporalCli } from '../../infra/stack/temporal-cli';
import { serviceContext, SERVICES } from '../../infra/stack/stack';
import { loadConfig } from '../../lib/config';
import { testConfig } from './config';

/**
 * Integration tests run against the real local stack; `npm test` brings it up before Jest
 * starts. Run directly (`npx jest`), say plainly what is missing instead of letting each
 * test time out. Then the tests' own Temporal namespace, with the case search attributes.
 */
export default async function globalSetup(): Promise<void> {
  const ctx = serviceContext(loadConfig());
  const down: string[] = [];
  await Promise.all(
    SERVICES.map(async (s) => {
      if (!(await portOpen(s.port(ctx)))) down.push(`${s.name} (127.0.0.1:${s.port(ctx)})`);
    }),
  );
  if (down.length) {
    throw new Error(
      `The local stack is not running: ${down.join(', ')} do not answer. ` +
        'Run `npm test` (it starts the stack), or `npm run stack:up` before running Jest directly.',
    );
  }
  const config = testConfig();
  const cli = new TemporalCli(temporalCli({ paths: stackPaths(config) }), config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  try {
    await cli.ensureNamespace();
  } catch (err) {
    throw new Error(
      `Could not create the tests' Temporal namespace ${config.TEMPORAL_NAMESPACE} on ${config.TEMPORAL_ADDRESS} ` +
        `with the case search attributes: ${err instanceof Error ? err.message : String(err)}. ` +
        'See `npm run stack:logs temporal`; `npm run stack:down && npm run stack:up` restarts the dev server.',
    );
  }
}

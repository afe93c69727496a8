import { portOpen } from '../../infra/stack/common';
import { serviceContext, SERVICES } from '../../infra/stack/stack';
import { loadConfig } from '../../lib/config';

/**
 * Integration tests run against the real local stack; `npm test` brings it up before Jest
 * starts. Run directly (`npx jest`), say plainly what is missing instead of letting each
 * test time out.
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
}

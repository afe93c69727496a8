import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers in tests log only what matters; state changes at INFO drown the test output.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by an earlier file in this worker process.
}

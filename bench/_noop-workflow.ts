/**
 * The raw ceiling of npm run bench -- case-intake: a workflow that does nothing, so starting
 * and completing it measures Temporal and the worker alone. Bench-only; never bundled into
 * the case worker.
 */
export async function benchNoop(): Promise<void> {}

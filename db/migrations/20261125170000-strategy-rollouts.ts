import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
async function run(db: Kysely<any>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await run(db, [
    `ALTER TABLE strategies ADD COLUMN priority integer NOT NULL DEFAULT 100`,
    `COMMENT ON COLUMN strategies.priority IS 'When several strategies apply to a new case, the lowest priority wins (then the id).'`,
    `CREATE TABLE strategy_rollouts (
      strategy_id text NOT NULL,
      version integer NOT NULL,
      percent integer NOT NULL CHECK (percent BETWEEN 0 AND 100),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text,
      PRIMARY KEY (strategy_id, version),
      FOREIGN KEY (strategy_id, version) REFERENCES strategy_versions (strategy_id, version)
    )`,
    `COMMENT ON TABLE strategy_rollouts IS 'Champion/challenger: new cases of a strategy are split between its published versions by percent (summing to 100). A strategy with no rollout is only reached by transfer.'`,
    `ALTER TABLE cases ADD COLUMN experiment_arm text`,
    `ALTER TABLE cases ADD COLUMN workflow_started_at timestamptz`,
    `COMMENT ON COLUMN cases.experiment_arm IS 'strategy@version the champion/challenger split gave the case when it opened.'`,
    `CREATE INDEX cases_workflow_pending_idx ON cases (id) WHERE status = 'open' AND workflow_started_at IS NULL`,
    `ALTER TABLE strategy_versions ADD COLUMN source text, ADD COLUMN plan jsonb, ADD COLUMN note text`,
    `COMMENT ON COLUMN strategy_versions.plan IS 'The compiled plan; its hash is the checksum column. Cases run exactly this.'`,
    `CREATE TABLE strategy_drafts (
      strategy_id text PRIMARY KEY CHECK (strategy_id ~ '^[a-z0-9][a-z0-9-]*$'),
      source text NOT NULL,
      based_on integer,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL
    )`,
    `COMMENT ON TABLE strategy_drafts IS 'Editable, possibly invalid, work in progress of a strategy designer; publishing turns it into an immutable version.'`,
  ]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await run(db, [
    'DROP TABLE strategy_drafts',
    'ALTER TABLE strategy_versions DROP COLUMN source, DROP COLUMN plan, DROP COLUMN note',
    'DROP INDEX cases_workflow_pending_idx',
    'ALTER TABLE cases DROP COLUMN workflow_started_at',
    'ALTER TABLE cases DROP COLUMN experiment_arm',
    'DROP TABLE strategy_rollouts',
    'ALTER TABLE strategies DROP COLUMN priority',
  ]);
}

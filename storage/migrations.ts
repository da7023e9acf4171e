// The workspace schema as numbered, append-only migrations. A shipped migration is never edited:
// its SHA-256 is recorded in every workspace it touched, and the runner refuses a workspace whose
// recorded history differs from this list. To change the schema, append a new entry.
// (test/storage/migrations.test.ts pins the checksums of shipped migrations to catch accidental edits.)

export interface Migration {
  /** 1, 2, 3, ... without gaps; the position in MIGRATIONS. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit-log-and-settings',
    // The triggers stop accidental edits through SQL; deliberate tampering (dropping them) is what
    // the hash chain is for. audit_head lets verify notice entries cut off the end of the chain.
    sql: `
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  reason TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_entity ON audit_log (entity_type, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE audit_head (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;
`,
  },
  {
    version: 2,
    name: 'workflows-and-scenarios',
    // Revisions are immutable: a change is a new revision, so the history is the table itself.
    sql: `
CREATE TABLE workflows (
  id TEXT PRIMARY KEY,
  latest_revision INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE TABLE workflow_revisions (
  workflow_id TEXT NOT NULL REFERENCES workflows (id),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  name TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('yaml', 'json')),
  source_text TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  source_file TEXT,
  message TEXT,
  created_at TEXT NOT NULL,
  author TEXT NOT NULL,
  PRIMARY KEY (workflow_id, revision)
) STRICT;
CREATE TRIGGER workflow_revisions_immutable BEFORE UPDATE ON workflow_revisions
BEGIN SELECT RAISE(ABORT, 'workflow revisions are immutable; save a new revision'); END;
CREATE TABLE scenarios (
  id TEXT PRIMARY KEY,
  latest_revision INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE TABLE scenario_revisions (
  scenario_id TEXT NOT NULL REFERENCES scenarios (id),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  name TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('yaml', 'json')),
  source_text TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  source_file TEXT,
  message TEXT,
  created_at TEXT NOT NULL,
  author TEXT NOT NULL,
  PRIMARY KEY (scenario_id, revision)
) STRICT;
CREATE TRIGGER scenario_revisions_immutable BEFORE UPDATE ON scenario_revisions
BEGIN SELECT RAISE(ABORT, 'scenario revisions are immutable; save a new revision'); END;
`,
  },
  {
    version: 3,
    name: 'runs-and-reports',
    // A run may analyse a bundled workflow that is not in the workspace: workflow_revision is then
    // NULL, which SQLite's composite foreign keys treat as "no reference". Results live in their own
    // table so listing thousands of runs never reads result pages.
    sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  label TEXT,
  workflow_id TEXT NOT NULL,
  workflow_revision INTEGER,
  workflow_sha256 TEXT,
  scenario_ids_json TEXT NOT NULL,
  params_json TEXT NOT NULL,
  summary_json TEXT NOT NULL,
  result_sha256 TEXT NOT NULL,
  result_bytes INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  author TEXT NOT NULL,
  FOREIGN KEY (workflow_id, workflow_revision) REFERENCES workflow_revisions (workflow_id, revision)
) STRICT;
CREATE INDEX runs_by_time ON runs (created_at);
CREATE INDEX runs_by_workflow ON runs (workflow_id, workflow_revision, created_at);
CREATE TABLE run_results (
  run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  result_json TEXT NOT NULL
) STRICT;
CREATE TABLE report_snapshots (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  run_id TEXT REFERENCES runs (id),
  format TEXT NOT NULL,
  content TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  author TEXT NOT NULL
) STRICT;
CREATE INDEX report_snapshots_by_run ON report_snapshots (run_id);
CREATE TRIGGER report_snapshots_immutable BEFORE UPDATE ON report_snapshots
BEGIN SELECT RAISE(ABORT, 'report snapshots are immutable'); END;
`,
  },
  {
    version: 4,
    name: 'tabletop-sessions',
    sql: `
CREATE TABLE tabletop_sessions (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  scenario_id TEXT NOT NULL,
  scenario_revision INTEGER,
  workflow_id TEXT,
  workflow_revision INTEGER,
  facilitator TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  notes TEXT NOT NULL,
  started_at TEXT NOT NULL,
  closed_at TEXT,
  created_by TEXT NOT NULL,
  FOREIGN KEY (scenario_id, scenario_revision) REFERENCES scenario_revisions (scenario_id, revision),
  FOREIGN KEY (workflow_id, workflow_revision) REFERENCES workflow_revisions (workflow_id, revision)
) STRICT;
CREATE TABLE tabletop_decisions (
  session_id TEXT NOT NULL REFERENCES tabletop_sessions (id),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  at_minute REAL NOT NULL,
  inject_title TEXT,
  prompt TEXT NOT NULL,
  choice TEXT NOT NULL,
  rationale TEXT,
  decided_by TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) STRICT;
CREATE TRIGGER tabletop_decisions_immutable BEFORE UPDATE ON tabletop_decisions
BEGIN SELECT RAISE(ABORT, 'recorded decisions are immutable'); END;
`,
  },
  {
    version: 5,
    name: 'tabletop-exercises',
    sql: `
ALTER TABLE tabletop_sessions ADD COLUMN setup TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tabletop_decisions ADD COLUMN point TEXT;
`,
  },
  {
    version: 6,
    name: 'accountability',
    // Owners: a catalogue role assigned to a person or team for the whole workspace (workflow_id '')
    // or for one workflow, which overrides it. Remediation: one item per gap, keyed by workflow and
    // control (a gap is recomputed by every analysis, so it has no row of its own). Sign-offs are
    // final: one per stored report snapshot, never edited or removed, so a signed snapshot cannot be
    // deleted either (the foreign key refuses it).
    sql: `
CREATE TABLE owner_assignments (
  role TEXT NOT NULL,
  workflow_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  contact TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (role, workflow_id)
) STRICT;
CREATE TABLE remediation_items (
  workflow_id TEXT NOT NULL,
  control_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'planned', 'in_progress', 'done', 'risk_accepted')),
  due_date TEXT,
  ticket TEXT,
  notes TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (workflow_id, control_id)
) STRICT;
CREATE TABLE report_signoffs (
  id TEXT PRIMARY KEY,
  report_id TEXT NOT NULL UNIQUE REFERENCES report_snapshots (id),
  scope TEXT NOT NULL,
  signed_by TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('accept', 'remediate', 'transfer')),
  justification TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
) STRICT;
CREATE INDEX report_signoffs_by_scope ON report_signoffs (scope, signed_at);
CREATE TRIGGER report_signoffs_immutable BEFORE UPDATE ON report_signoffs
BEGIN SELECT RAISE(ABORT, 'sign-offs are final'); END;
CREATE TRIGGER report_signoffs_no_delete BEFORE DELETE ON report_signoffs
BEGIN SELECT RAISE(ABORT, 'sign-offs are final'); END;
`,
  },
];

import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../src/db/schema.js';

/**
 * Rows travel to PostgreSQL by COPY … FROM STDIN in its text format (tab-separated, \N for NULL, backslash
 * escapes), the fastest way in that keeps every constraint, foreign key and trigger of the product's schema.
 *
 * While the world is generated, each table's rows go to a spool file of their own; afterwards the files are
 * streamed into their tables one by one, parents before children, so every foreign key finds its row already
 * committed. (Rows of one table cannot be streamed while they are generated: a case's row is written once its
 * story is over, long after its first event, and the tables would then have to be filled all at once.)
 */
export type TableName = keyof Database & string;

/** What a cell may hold; JSON columns are given as their text. */
export type Cell = string | number | boolean | Date | Buffer | null | readonly string[];

export type Row<T extends TableName> = { [K in keyof Database[T] & string]?: Cell };

/** The columns written for each table, in the order of its spool file; columns not listed take their default. */
export const COLUMNS = {
  organizations: ['id', 'parent_id', 'name', 'short_name', 'type', 'created_at'],
  officials: ['id', 'name', 'organization_id', 'position', 'rank', 'category', 'managing_org_id', 'created_at'],
  users: ['id', 'username', 'password_hash', 'display_name', 'official_id', 'email', 'disabled_at', 'created_at', 'password_changed_at', 'clearance'],
  user_roles: ['user_id', 'role', 'organization_id'],
  files: ['sha256', 'size', 'media_type', 'stored_at'],
  cases: [
    'id', 'official_id', 'organ_id', 'title', 'description', 'state', 'policy_id', 'policy_version', 'opened_by', 'opened_at', 'updated_at',
    'version', 'professional', 'outcome', 'decided_at', 'served_at', 'appeal_deadline', 'closed_at', 'sensitivity',
  ],
  evidence: ['id', 'case_id', 'title', 'description', 'kind', 'recorded_by', 'recorded_at'],
  evidence_attachments: ['id', 'evidence_id', 'file_sha256', 'filename', 'media_type', 'size'],
  opinions: ['id', 'case_id', 'kind', 'source', 'content', 'recorded_by', 'recorded_at'],
  applications: ['id', 'case_id', 'applicant_kind', 'applicant_id', 'party_org_id', 'content', 'submitted_at'],
  expert_invitations: ['id', 'case_id', 'expert_id', 'question', 'evidence_ids', 'invited_by', 'invited_at', 'opinion_id'],
  // `position` is GENERATED ALWAYS: COPY leaves it to the identity, which numbers the rows in file order — the
  // order they were recorded in, which is what "the latest assessment / deliberation" reads.
  assessments: ['id', 'case_id', 'input', 'engine_output', 'policy_id', 'policy_version', 'note', 'recorded_by', 'recorded_at'],
  deliberations: [
    'id', 'case_id', 'held_on', 'member_count', 'members_present', 'member_opinions', 'accountability_opinion', 'tolerance_opinion',
    'proposed_outcome', 'application_answers', 'assessment_id', 'departure_reason', 'recorded_by', 'recorded_at',
  ],
  decisions: [
    'id', 'case_id', 'version', 'source', 'outcome', 'reduction', 'measures', 'measure_details', 'tolerance_opinion', 'tolerance_reasons',
    'departure_reason', 'deliberation_id', 'approval_state', 'approved_by', 'approved_at', 'approval_note', 'current', 'in_force', 'decided_by', 'decided_at',
  ],
  services: ['id', 'case_id', 'decision_id', 'served_at', 'explanation_to_official', 'party_org_id', 'explanation_to_party_org', 'recorded_by', 'recorded_at'],
  file_entries: ['id', 'official_id', 'case_id', 'decision_id', 'file_kind', 'summary', 'entered_at'],
  appeals: ['id', 'case_id', 'decision_id', 'grounds', 'lodged_by', 'lodged_at', 'due_at', 'outcome', 'reasons', 'decided_by', 'decided_at', 'new_decision_id'],
  document_numbers: ['organ_id', 'year', 'last'],
  documents: ['id', 'case_id', 'kind', 'version', 'number', 'decision_id', 'file_sha256', 'pdf_sha256', 'template_sha256', 'generated_by', 'generated_at'],
  case_files: ['case_id', 'manifest', 'manifest_sha256', 'sealed_by', 'sealed_at'],
  rectification_plans: ['id', 'case_id', 'unit_id', 'organ_id', 'title', 'description', 'version', 'created_by', 'created_at', 'updated_at'],
  rectification_items: ['id', 'plan_id', 'title', 'owner_official_id', 'owner_unit_id', 'deadline', 'mechanism', 'status', 'position', 'added_by', 'added_at', 'done_at'],
  rectification_reports: ['id', 'item_id', 'content', 'reported_by', 'reported_at'],
  rectification_checks: ['id', 'item_id', 'report_id', 'accepted', 'note', 'checked_by', 'checked_at'],
  followup_visits: ['id', 'official_id', 'case_id', 'kind', 'offset_months', 'due_on', 'scheduled_at', 'done_at', 'record', 'done_by'],
  events: ['seq', 'at', 'actor', 'case_id', 'type', 'payload', 'prev_hash', 'hash'],
} as const satisfies { [T in TableName]?: readonly (keyof Database[T] & string)[] };

export type SpooledTable = keyof typeof COLUMNS;

/**
 * Parents before children: the order the spool files are loaded in. Within a table the order is the order of
 * writing (a self-reference — an organization's parent — is checked at the end of its COPY anyway). The events
 * need only the cases before them, so everything after the cases (CASE_CONTENT) can be loaded on a second
 * connection while the events go through the chain.
 */
export const CASE_PARENTS: readonly SpooledTable[] = ['organizations', 'officials', 'users', 'user_roles', 'files', 'cases'];
export const CASE_CONTENT: readonly SpooledTable[] = [
  'evidence', 'evidence_attachments', 'opinions', 'applications', 'expert_invitations', 'assessments', 'deliberations', 'decisions', 'services',
  'file_entries', 'appeals', 'document_numbers', 'documents', 'case_files', 'rectification_plans', 'rectification_items', 'rectification_reports',
  'rectification_checks', 'followup_visits',
];

/** One value in COPY text format. */
export function copyText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escape(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  // An array literal, every element quoted (so commas, braces and spaces inside need no thought), then escaped
  // once more for COPY.
  return escape(`{${(value as readonly string[]).map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
function escape(text: string): string {
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : text;
}

const BUFFER_BYTES = 1 << 20;

class SpoolFile {
  rows = 0;
  // Lines go straight into a buffer as UTF-8 rather than piling up as strings: millions of short-lived strings
  // that survive until a flush were most of the generator's garbage collection.
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private closed = false;
  private readonly fd: number;

  constructor(
    readonly file: string,
    private readonly columns: readonly string[],
  ) {
    this.fd = openSync(file, 'w');
  }

  write(row: Record<string, Cell | undefined>): void {
    let line = '';
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i]!;
      if (!(column in row)) throw new Error(`spool ${path.basename(this.file)}: no value for column ${column}`);
      line += (i === 0 ? '' : '\t') + copyText(row[column]);
    }
    line += '\n';
    // A UTF-8 character takes at most three bytes per UTF-16 unit.
    if (this.used + line.length * 3 > this.buffer.length) {
      this.flush();
      if (line.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(line.length * 3);
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
    this.rows++;
  }

  flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}

/** The spool files of one generation run, one per table, in a fresh directory of their own, removed afterwards. */
export class Spool {
  private readonly files = new Map<SpooledTable, SpoolFile>();

  private constructor(readonly dir: string) {}

  static async create(parent: string): Promise<Spool> {
    await mkdir(parent, { recursive: true });
    return new Spool(await mkdtemp(path.join(parent, 'rongcuo-generate-')));
  }

  write<T extends SpooledTable>(table: T, row: Row<T>): void {
    let file = this.files.get(table);
    if (!file) {
      file = new SpoolFile(path.join(this.dir, `${table}.copy`), COLUMNS[table]);
      this.files.set(table, file);
    }
    file.write(row as Record<string, Cell>);
  }

  rows(table: SpooledTable): number {
    return this.files.get(table)?.rows ?? 0;
  }

  file(table: SpooledTable): string | undefined {
    return this.files.get(table)?.file;
  }

  close(): void {
    for (const file of this.files.values()) file.close();
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

export interface CopyResult {
  table: string;
  rows: number;
  ms: number;
}

/** Streams one spool file into a table (or a staging table) by COPY … FROM STDIN. */
export async function copyFile(client: pg.ClientBase, file: string, target: string, columns: readonly string[]): Promise<number> {
  const quoted = columns.map((c) => client.escapeIdentifier(c)).join(', ');
  const sink = client.query(copyFrom(`COPY ${target} (${quoted}) FROM STDIN`));
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), sink);
  return Number(sink.rowCount ?? 0);
}

/** Loads these spooled tables in this order (parents first), each in its own COPY. */
export async function loadSpool(client: pg.ClientBase, spool: Spool, tables: readonly SpooledTable[], onTable: (result: CopyResult) => void): Promise<void> {
  for (const table of tables) {
    const file = spool.file(table);
    if (!file) continue;
    const started = performance.now();
    const rows = await copyFile(client, file, client.escapeIdentifier(table), COLUMNS[table]);
    if (rows !== spool.rows(table)) throw new Error(`COPY ${table}: ${rows} rows loaded, ${spool.rows(table)} written`);
    onTable({ table, rows, ms: performance.now() - started });
  }
}

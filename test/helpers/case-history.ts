import type { Db } from '../../src/db/connect.js';

/**
 * Replays a case's audit events through the procedure's states (src/cases/procedure.ts) to prove that what
 * happened to it under concurrency or faults was a legal path: every case command's event names the version it
 * made, so the versions must run 1, 2, 3… without a gap or a repeat (a repeat is a lost update: two commands
 * that both acted on the same version), and each state-changing event must start from a state that allows it.
 * Shared by the two-instance test and the fault drills (bench/faults.ts).
 */

const BEFORE_DECISION = ['investigating', 'deliberated'];

/** For each case event: the states it may happen in, and the state it leaves (a function of its payload where it varies). */
const TRANSITIONS: Record<string, { from: readonly (string | undefined)[]; to?: string | ((payload: Record<string, unknown>, from: string) => string) }> = {
  'case.opened': { from: [undefined], to: 'investigating' },
  'case.opinion-recorded': { from: BEFORE_DECISION },
  'case.evidence-recorded': { from: BEFORE_DECISION },
  'case.application-submitted': { from: BEFORE_DECISION },
  'case.marked-professional': { from: BEFORE_DECISION },
  'case.expert-invited': { from: BEFORE_DECISION },
  'case.expert-opinion-recorded': { from: BEFORE_DECISION },
  'case.assessment-recorded': { from: BEFORE_DECISION },
  'case.deliberation-recorded': { from: BEFORE_DECISION, to: 'deliberated' },
  'case.decided': { from: ['deliberated'], to: (p) => (p.requiresApproval ? 'awaiting-approval' : 'decided') },
  'case.decision-approved': { from: ['awaiting-approval'], to: (p) => (p.fromAppeal ? 'appeal-decided' : 'decided') },
  'case.decision-returned': { from: ['awaiting-approval'], to: (p) => (p.fromAppeal ? 'under-appeal' : 'deliberated') },
  'case.served': { from: ['decided'], to: 'served' },
  'case.appeal-lodged': { from: ['served'], to: 'under-appeal' },
  'case.appeal-decided': { from: ['under-appeal'], to: (p) => (p.requiresApproval ? 'awaiting-approval' : 'appeal-decided') },
  'case.closed': { from: ['served', 'appeal-decided'], to: 'closed' },
};

/** Case events that are not case commands: they neither need a version nor change the state. */
const NOT_COMMANDS = new Set(['case.document-generated', 'case.document-downloaded', 'case.attachment-downloaded', 'case.file-sealed', 'case.file-exported', 'case.read', 'case.searched']);

export interface CaseHistory {
  caseId: string;
  /** The state the events lead to. */
  replayedState: string | undefined;
  /** The state and version the cases row holds. */
  storedState: string;
  storedVersion: number;
  commands: number;
  /** Empty when the history is a legal path that ends where the row stands. */
  problems: string[];
}

/** Replays one case's events (in chain order) and compares the result with its row. */
export async function replayCase(db: Db, caseId: string): Promise<CaseHistory> {
  const row = await db.selectFrom('cases').select(['state', 'version']).where('id', '=', caseId).executeTakeFirst();
  const events = await db.selectFrom('events').select(['seq', 'type', 'payload']).where('case_id', '=', caseId).orderBy('seq').execute();
  const problems: string[] = [];
  let state: string | undefined;
  let expectedVersion = 1;
  let commands = 0;
  for (const event of events) {
    const payload = (event.payload ?? {}) as Record<string, unknown>;
    // Events of a case command carry the version of the case it made; a document's `version` is the document's.
    if (NOT_COMMANDS.has(event.type) || !event.type.startsWith('case.')) continue;
    commands++;
    if (typeof payload.version !== 'number') {
      problems.push(`event ${event.seq} (${event.type}) names no case version`);
      continue;
    }
    if (payload.version !== expectedVersion) problems.push(`event ${event.seq} (${event.type}) made version ${payload.version}, expected ${expectedVersion}`);
    expectedVersion = payload.version + 1;
    const rule = TRANSITIONS[event.type];
    if (!rule) {
      problems.push(`event ${event.seq}: unknown case event ${event.type}`);
      continue;
    }
    if (!rule.from.includes(state)) problems.push(`event ${event.seq}: ${event.type} in state ${state ?? '(none)'}`);
    if (rule.to) state = typeof rule.to === 'string' ? rule.to : rule.to(payload, state ?? '');
  }
  if (!row) {
    if (events.length > 0) problems.push('events name a case that has no row (a partial case)');
    return { caseId, replayedState: state, storedState: '(missing)', storedVersion: 0, commands, problems };
  }
  if (state !== row.state) problems.push(`the events lead to ${state ?? '(none)'}, the row says ${row.state}`);
  if (expectedVersion - 1 !== row.version) problems.push(`the events reach version ${expectedVersion - 1}, the row says ${row.version}`);
  return { caseId, replayedState: state, storedState: row.state, storedVersion: row.version, commands, problems };
}

import { sql } from 'kysely';
import { auditActor, type Actor } from '../../access/actor.js';
import { committeeRoot, grantsOf, requireVisibleCase, subtreeOf } from '../../access/case.js';
import { appendEvent } from '../../audit/chain.js';
import type { EventType } from '../../audit/event-types.js';
import { recordDigest } from '../../audit/digest.js';
import type { Clock } from '../../clock.js';
import type { Db, Tx } from '../../db/connect.js';
import { AppError, forbidden, invalidInput, invalidState, notFound, versionConflict } from '../../errors.js';
import { codePointLength } from '../../files/filename.js';
import { draftTypicalText } from '../../typical/deidentify.js';
import { checkTypicalText, draftingTerms, loadTypicalSource } from '../../typical/facts.js';

/**
 * Typical cases (典型案例, Art. 20 ¶4), a separate pipeline on a derived copy: a handler of the deciding organ
 * drafts a de-identified write-up of a closed case (typical/deidentify.ts), reviews and edits it and submits it;
 * the publicity department (宣传部门) approves or returns it and publishes it. A second person: nobody who wrote
 * the text (drafted or edited it) may approve or publish it. Publishing is refused while the identifying-terms
 * check flags anything. Every step is audited in the same transaction. The events carry no personal data: the
 * digest of the source facts and of each version of the text (so the chain links the published text to its
 * source and every edit in between), and what de-identification replaced by kind and count, never the terms —
 * and no case id in the event's case column (the case file of a closed case is sealed).
 */
export interface TypicalCommandProps {
  db: Db;
  clock: Clock;
  actor: Actor;
}

export type TypicalStatus = 'draft' | 'submitted' | 'approved' | 'published' | 'returned';

export const typicalFlaggedError = (terms: readonly string[]) =>
  new AppError({
    code: 'TYPICAL_IDENTIFYING_TERMS',
    status: 422,
    message: `典型案例中仍含有可识别身份的信息：${terms.join('、')}，请修改后再发布`,
    messageEn: `the typical case still contains identifying terms: ${terms.join(', ')}`,
    key: 'body',
    allowed: [...terms],
    article: '第二十条',
  });

/** The organizations whose typical cases a publicity user handles: the subtree of the committee the department belongs to. */
export async function publicityRoots(db: Db | Tx, actor: Actor): Promise<string[]> {
  const grants = grantsOf(actor, 'publicity');
  if (grants.length === 0) return [];
  const rows = await db.selectFrom('organizations').select(['id', 'parent_id', 'type']).where('id', 'in', grants).execute();
  return rows.map((r) => committeeRoot({ id: r.id, type: r.type, parentId: r.parent_id }, 'publicity-department'));
}

async function inPublicityScope(db: Db | Tx, actor: Actor, organId: string): Promise<boolean> {
  const roots = await publicityRoots(db, actor);
  if (roots.length === 0) return false;
  const { rows } = await sql<{ ok: boolean }>`SELECT ${organId}::uuid IN ${subtreeOf(roots)} AS ok`.execute(db);
  return rows[0]?.ok === true;
}

interface Loaded {
  id: string;
  source_case_id: string;
  organ_id: string;
  status: string;
  version: number;
  title: string;
  body: string;
  authors: string[];
}

/** Locks the typical case; 404 unless the actor is a handler of its organ or publicity in scope (not for drafts). */
async function load(tx: Tx, actor: Actor, id: string, expectedVersion: number | undefined): Promise<Loaded & { asHandler: boolean; asPublicity: boolean }> {
  const row = await tx
    .selectFrom('typical_cases')
    .select(['id', 'source_case_id', 'organ_id', 'status', 'version', 'title', 'body', 'authors'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('典型案例');
  const asHandler = grantsOf(actor, 'handler').includes(row.organ_id);
  const asPublicity = row.status !== 'draft' && (await inPublicityScope(tx, actor, row.organ_id));
  if (!asHandler && !asPublicity) throw notFound('典型案例');
  if (expectedVersion !== undefined && row.version !== expectedVersion) throw versionConflict(expectedVersion, row.version);
  return { ...row, asHandler, asPublicity };
}

async function audit(tx: Tx, actor: Actor, now: Date, type: EventType, payload: Record<string, unknown>) {
  await appendEvent(tx, { type, actor: auditActor(actor), caseId: null, payload }, { now: () => now });
}

function checkText(title: string, body: string) {
  if (!title.trim() || codePointLength(title) > 200) throw invalidInput('title', '标题不能为空，且不超过200字', 'title is empty or too long');
  if (!body.trim() || codePointLength(body) > 20000) throw invalidInput('body', '正文不能为空，且不超过20000字', 'body is empty or too long');
}

export interface TypicalResult {
  id: string;
  status: TypicalStatus;
  version: number;
  flaggedTerms: string[];
}

/** Drafts a de-identified typical case from a closed case (a handler of its deciding organ). */
export async function draftTypicalCase(props: TypicalCommandProps & { caseId: string }): Promise<TypicalResult> {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    const { relations, organId } = await requireVisibleCase(tx, actor, props.caseId);
    if (!relations.handler) throw forbidden('只有作出处理决定的责任追究机关经办人可以起草典型案例', 'only a handler of the deciding organ drafts a typical case');
    const kase = await tx.selectFrom('cases').select(['state']).where('id', '=', props.caseId).forUpdate().executeTakeFirstOrThrow();
    if (kase.state !== 'closed') throw invalidState('案件尚未结案，不能起草典型案例', `the case is ${kase.state}, not closed`);
    const source = await loadTypicalSource(tx, props.caseId);
    const { title, body, report } = draftTypicalText(source, await draftingTerms(tx, props.caseId, source));
    const flagged = await checkTypicalText(tx, props.caseId, `${title}\n${body}`);
    const now = clock.now();
    const row = await tx
      .insertInto('typical_cases')
      .values({ source_case_id: props.caseId, organ_id: organId, title, body, status: 'draft', flagged_terms: flagged, drafted_by: actor.userId, drafted_at: now, updated_at: now, authors: [actor.userId] })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    // The diff between source and draft, without personal data: both digests and the counts of what was replaced.
    await audit(tx, actor, now, 'typical.drafted', {
      typicalCaseId: row.id,
      sourceCaseId: props.caseId,
      organId,
      sourceHash: recordDigest(source),
      textHash: recordDigest({ title, body }),
      replaced: report,
      flagged: flagged.length,
    });
    return { id: row.id, status: 'draft', version: row.version, flaggedTerms: flagged };
  });
}

/** Edits a draft or a returned typical case (a handler of the organ); the check runs again on the new text. */
export async function editTypicalCase(props: TypicalCommandProps & { id: string; expectedVersion: number; title: string; body: string }): Promise<TypicalResult> {
  const { db, clock, actor } = props;
  checkText(props.title, props.body);
  return db.transaction().execute(async (tx) => {
    const row = await load(tx, actor, props.id, props.expectedVersion);
    if (!row.asHandler) throw forbidden('只有起草单位的经办人可以修改典型案例', 'only a handler of the drafting organ edits');
    if (row.status !== 'draft' && row.status !== 'returned') throw invalidState('典型案例已报送，不能修改', `the typical case is ${row.status}`);
    const flagged = await checkTypicalText(tx, row.source_case_id, `${props.title}\n${props.body}`);
    const now = clock.now();
    const version = row.version + 1;
    const authors = row.authors.includes(actor.userId) ? row.authors : [...row.authors, actor.userId];
    await tx.updateTable('typical_cases').set({ title: props.title, body: props.body, flagged_terms: flagged, updated_at: now, version, authors }).where('id', '=', row.id).execute();
    await audit(tx, actor, now, 'typical.edited', {
      typicalCaseId: row.id,
      previousTextHash: recordDigest({ title: row.title, body: row.body }),
      textHash: recordDigest({ title: props.title, body: props.body }),
      flagged: flagged.length,
      version,
    });
    return { id: row.id, status: row.status as TypicalStatus, version, flaggedTerms: flagged };
  });
}

async function transition(
  props: TypicalCommandProps & { id: string; expectedVersion: number },
  spec: {
    who: 'handler' | 'publicity';
    from: readonly TypicalStatus[];
    to: TypicalStatus;
    event: EventType;
    changes: (now: Date) => Record<string, unknown>;
    checkTerms?: boolean;
    /** Refused to anyone who wrote the text. */
    secondPerson?: boolean;
    payload?: Record<string, unknown>;
  },
): Promise<TypicalResult> {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    const row = await load(tx, actor, props.id, props.expectedVersion);
    if (spec.who === 'handler' && !row.asHandler) throw forbidden('只有起草单位的经办人可以报送典型案例', 'only a handler of the drafting organ submits');
    if (spec.who === 'publicity' && !row.asPublicity) throw forbidden('只有宣传部门可以审核、发布典型案例', 'only the publicity department approves, returns and publishes');
    if (spec.secondPerson && row.authors.includes(actor.userId)) {
      throw forbidden('起草或修改过该典型案例的人员不能审核、发布（须由另一人审核）', 'whoever wrote the text may not approve or publish it: a second person must');
    }
    if (!spec.from.includes(row.status as TypicalStatus)) throw invalidState(`典型案例当前状态（${row.status}）不能进行此操作`, `the typical case is ${row.status}`);
    const flagged = await checkTypicalText(tx, row.source_case_id, `${row.title}\n${row.body}`);
    if (spec.checkTerms && flagged.length > 0) throw typicalFlaggedError(flagged);
    const now = clock.now();
    const version = row.version + 1;
    await tx
      .updateTable('typical_cases')
      .set({ ...spec.changes(now), status: spec.to, flagged_terms: flagged, updated_at: now, version })
      .where('id', '=', row.id)
      .execute();
    // The digest of the text this step acted on: the approval and the publication are bound to exact words.
    await audit(tx, actor, now, spec.event, { typicalCaseId: row.id, from: row.status, to: spec.to, version, textHash: recordDigest({ title: row.title, body: row.body }), ...spec.payload });
    return { id: row.id, status: spec.to, version, flaggedTerms: flagged };
  });
}

export const submitTypicalCase = (props: TypicalCommandProps & { id: string; expectedVersion: number }) =>
  transition(props, { who: 'handler', from: ['draft', 'returned'], to: 'submitted', event: 'typical.submitted', changes: (now) => ({ submitted_at: now, return_note: null }) });

export const approveTypicalCase = (props: TypicalCommandProps & { id: string; expectedVersion: number }) =>
  transition(props, { who: 'publicity', from: ['submitted'], to: 'approved', event: 'typical.approved', changes: (now) => ({ approved_by: props.actor.userId, approved_at: now }), secondPerson: true });

export function returnTypicalCase(props: TypicalCommandProps & { id: string; expectedVersion: number; note: string }) {
  if (!props.note.trim()) throw invalidInput('note', '请写明退回意见', 'the note is empty');
  return transition(props, {
    who: 'publicity',
    from: ['submitted', 'approved'],
    to: 'returned',
    event: 'typical.returned',
    changes: () => ({ return_note: props.note, approved_by: null, approved_at: null }),
    payload: { noteHash: recordDigest({ note: props.note }) },
  });
}

export const publishTypicalCase = (props: TypicalCommandProps & { id: string; expectedVersion: number }) =>
  transition(props, {
    who: 'publicity',
    from: ['approved'],
    to: 'published',
    event: 'typical.published',
    changes: (now) => ({ published_by: props.actor.userId, published_at: now }),
    checkTerms: true,
    secondPerson: true,
  });

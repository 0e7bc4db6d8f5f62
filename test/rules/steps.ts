import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Clock } from '../../src/clock.js';
import type { Db } from '../../src/db/connect.js';
import { ACCESS_EVENT_TYPES } from '../../src/audit/access-events.js';
import { SESSION_COOKIE } from '../../src/http/plugins/session.js';
import { buildTestApp, signInAs } from '../helpers/app.js';
import { useTestDatabase } from '../helpers/db.js';
import { buildWorld, FAVOURABLE_ASSESSMENT, type World } from '../helpers/world.js';

/**
 * Shared steps for the rule suites: a harness (database, app, world, a clock that only moves forward, cached
 * sessions), a driver that takes one case through the procedure over HTTP — checking on every successful command
 * that exactly one audit event for this case was added (R16) — and `expectRefused`, which proves that a refused
 * command answered with the right problem details and left the database exactly as it was.
 */

export type UserKey = Exclude<keyof World['users'], 'members'>;
export type Response = LightMyRequestResponse;

export interface Session {
  user: UserKey;
  userId: string;
  inject(options: InjectOptions): Promise<Response>;
}

/** The articles of rules.ts, written out again so that a change there has to be made on purpose. */
export const ARTICLES = {
  R1: '第十一条',
  R2: '第十一条第二款',
  R3: '第十二条',
  R4: '第十三条',
  R5: '第十条',
  R6: '第八条',
  R7: '第十三条第二款',
  R8: '第十四条',
  R9: '第十五条',
  R10: '第十六条',
  R14: '第六条、第十一条',
  R15: '第二十条',
  R16: '第十四条、第二十条',
} as const;
export type RuleKey = keyof typeof ARTICLES;

// ---------------------------------------------------------------------------------------------------------
// Assessments and decisions a handler would enter

export const ASSESSMENTS = {
  /** Every exclusion false, a situation, favourable factors: the engine recommends exempt. */
  favourable: FAVOURABLE_ASSESSMENT,
  /** No Art. 8 situation: not tolerated, binding (R6). */
  noSituation: { ...FAVOURABLE_ASSESSMENT, situations: [] as string[] },
  /** Art. 10(2) established: not tolerated, binding (R5). */
  excluded: { ...FAVOURABLE_ASSESSMENT, exclusions: { ...FAVOURABLE_ASSESSMENT.exclusions, 'improper-benefit': true } },
  /** Art. 10(3) not yet established either way. */
  unsettled: { ...FAVOURABLE_ASSESSMENT, exclusions: { ...FAVOURABLE_ASSESSMENT.exclusions, 'grave-consequence': null } },
};

export const DECISIONS = {
  exempt: {
    outcome: 'exempt',
    measures: [] as string[],
    toleranceOpinion: '经集体研究，张明同志的失误属于第八条第（二）项情形，予以容错免责。',
    toleranceReasons: '容错理由：改革试点中政策界限不明确，出于公心、无心之过；容错依据：《工作办法》第八条第（二）项、第十三条第（一）项。',
  },
  notTolerated: {
    outcome: 'not_tolerated',
    measures: ['circulated-criticism'] as string[],
    toleranceOpinion: '经集体研究，不符合容错条件（未认定第八条所列情形），不予容错。',
    toleranceReasons: '',
  },
  reduced: {
    outcome: 'reduced',
    reduction: 'lighter',
    measures: ['admonishment'] as string[],
    toleranceOpinion: '经集体研究，符合容错条件，予以容错减责，从轻处理。',
    toleranceReasons: '容错理由：属于第八条第（二）项情形；容错依据：《工作办法》第十三条第（二）项。',
    departureReason: '延误造成一定社会影响，不宜完全免责。',
  },
  /** Needs the higher authority's approval because of the measure (R7). */
  sanctioned: {
    outcome: 'reduced',
    reduction: 'mitigated',
    measures: ['disciplinary-sanction'] as string[],
    toleranceOpinion: '符合容错减责条件，予以减轻处理。',
    toleranceReasons: '属于第八条第（二）项情形；动机出于公心；及时挽回损失。',
    departureReason: '延误造成一定社会影响，不宜完全免责。',
  },
} satisfies Record<string, Record<string, unknown>>;

/** An evidence upload as the web form sends it: multipart, with one small PDF attached. */
export function evidenceForm(version: number, title: string): Pick<InjectOptions, 'payload' | 'headers'> {
  const boundary = 'rongcuo-test-boundary';
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body =
    field('version', String(version)) +
    field('title', title) +
    field('kind', 'document') +
    `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="jiyao.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n` +
    `--${boundary}--\r\n`;
  return { payload: Buffer.from(body, 'utf8'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const EXPLANATIONS = {
  explanationToOfficial: '经集体研究，对您的失误作出上述处理，容错情况说明如下。',
  explanationToPartyOrg: '经集体研究，对张明同志作出上述处理，现向所在党组织说明容错情况。',
};

// ---------------------------------------------------------------------------------------------------------
// The harness

// The app allows 600 requests a minute per client address, and a test file makes its requests within a few
// seconds from one address: past this many, the harness starts a fresh app instance (sessions live in the database).
const REQUESTS_PER_APP = 450;

export class Harness {
  #db: Db | undefined;
  #app: FastifyInstance | undefined;
  #world: World | undefined;
  #now: Date;
  #sessions = new Map<UserKey, { session: Session; lastUsed: number }>();
  #requests = 0;
  readonly clock: Clock = { now: () => new Date(this.#now) };

  constructor(start: string) {
    this.#now = new Date(start);
  }

  get db(): Db {
    if (!this.#db) throw new Error('the harness is not started');
    return this.#db;
  }
  get app(): FastifyInstance {
    if (!this.#app) throw new Error('the harness is not started');
    return this.#app;
  }
  get world(): World {
    if (!this.#world) throw new Error('the harness is not started');
    return this.#world;
  }

  async start(db: Db): Promise<void> {
    this.#db = db;
    this.#app = await buildTestApp(db, this.clock);
    this.#world = await buildWorld(db, this.#app);
  }

  async stop(): Promise<void> {
    await this.#app?.close();
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Moves the clock forward. Sessions idle for 30 minutes are gone: `as()` then signs the user in again. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('the clock only moves forward');
    this.#now = new Date(this.#now.getTime() + ms);
  }

  /** A signed-in session of this world user, reused while it is fresh (a sign-in is an audit event). */
  async as(user: UserKey): Promise<Session> {
    const cached = this.#sessions.get(user);
    if (cached && this.#now.getTime() - cached.lastUsed < 25 * 60 * 1000) return cached.session;
    if (this.#requests >= REQUESTS_PER_APP) await this.#restartApp();
    this.#requests++;
    const credentials = this.world.users[user];
    const signedIn = await signInAs(this.app, credentials);
    const entry = { session: undefined as unknown as Session, lastUsed: this.#now.getTime() };
    entry.session = {
      user,
      userId: signedIn.userId,
      inject: (options) => {
        entry.lastUsed = this.#now.getTime();
        return this.inject({ ...options, cookies: { ...(options.cookies ?? {}), [SESSION_COOKIE]: signedIn.cookie } });
      },
    };
    this.#sessions.set(user, entry);
    return entry.session;
  }

  /** A request with no session unless the options carry one. */
  async inject(options: InjectOptions): Promise<Response> {
    this.#requests++;
    const response = await this.app.inject(options);
    if (response.statusCode === 429) throw new Error(`rate limited in a test: ${options.method} ${options.url}`);
    return response;
  }

  async #restartApp(): Promise<void> {
    await this.#app?.close();
    this.#app = await buildTestApp(this.db, this.clock);
    this.#requests = 0;
  }
}

/** A per-file database and harness (app, world, clock). */
export function useHarness(start = '2026-03-02T01:00:00Z'): Harness {
  const database = useTestDatabase();
  const harness = new Harness(start);
  beforeAll(async () => {
    await harness.start(database.current.db);
  });
  afterAll(async () => {
    await harness.stop();
  });
  return harness;
}

// ---------------------------------------------------------------------------------------------------------
// Problem details and the unchanged database

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  key?: string;
  rule?: string;
  article?: string;
}

export interface ExpectedRefusal {
  status: number;
  /** The exact code, or a pattern where the spec fixes the rule but not the code. */
  code: string | RegExp;
  /** The rule id; its article is checked against ARTICLES. */
  rule?: RuleKey;
  key?: string;
}

/** Checks the problem details of a refused request. */
export function expectProblem(response: Response, expected: ExpectedRefusal): Problem {
  expect(response.statusCode, response.body.slice(0, 400)).toBe(expected.status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json() as Problem;
  expect(problem.status).toBe(expected.status);
  if (typeof expected.code === 'string') expect(problem.code).toBe(expected.code);
  else expect(problem.code).toMatch(expected.code);
  expect(problem.type).toBe(`urn:rongcuo:problem:${problem.code}`);
  // The title is for the user (Chinese), the detail for developers (English).
  expect(problem.title).toMatch(/[\u4e00-\u9fff]/);
  expect(problem.detail).toMatch(/[a-z]/);
  if (expected.rule) {
    expect(problem.rule).toBe(expected.rule);
    expect(problem.article).toBe(ARTICLES[expected.rule]);
    // The user reads the article first: "第十条：…".
    expect(problem.title.startsWith(`${ARTICLES[expected.rule]}：`), problem.title).toBe(true);
  } else {
    expect(problem.rule).toBeUndefined();
    expect(problem.article).toBeUndefined();
  }
  if (expected.key !== undefined) expect(problem.key).toBe(expected.key);
  return problem;
}

const COUNTED_TABLES = [
  'cases',
  'events',
  'files',
  'evidence',
  'evidence_attachments',
  'opinions',
  'applications',
  'expert_invitations',
  'assessments',
  'deliberations',
  'decisions',
  'services',
  'file_entries',
  'appeals',
] as const;

/** What a refused command must leave untouched: the chain head, every procedure table, the case and its decisions. */
/**
 * The last event that recorded a change, and how many there are. Reads and refusals are recorded too
 * (access events: who looked, who was turned away) — they change nothing, so "unchanged" ignores them.
 */
export async function stateHead(db: Db): Promise<{ seq: string; hash: string; events: number }> {
  const last = await db.selectFrom('events').select(['seq', 'hash']).where('type', 'not in', ACCESS_EVENT_TYPES).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const count = await db.selectFrom('events').select(({ fn }) => fn.countAll<string>().as('n')).where('type', 'not in', ACCESS_EVENT_TYPES).executeTakeFirstOrThrow();
  return { seq: last?.seq ?? '0', hash: last ? last.hash.toString('hex') : '', events: Number(count.n) };
}

export async function snapshot(db: Db, caseId: string | null) {
  const { events, ...head } = await stateHead(db);
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const row = await db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    counts[table] = table === 'events' ? events : Number(row.n);
  }
  const kase = caseId ? await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst() : null;
  const decisions = caseId ? await db.selectFrom('decisions').selectAll().where('case_id', '=', caseId).orderBy('version').execute() : [];
  const appeals = caseId ? await db.selectFrom('appeals').selectAll().where('case_id', '=', caseId).orderBy('lodged_at').execute() : [];
  return { head, counts, case: kase, decisions, appeals };
}

/**
 * Sends a request that a rule must refuse and proves it: the status and problem details, and the database exactly
 * as before (case version and state, no new row in any procedure table, no new event but the access.denied
 * record of a 403/404). Sign the user in before
 * calling this: a sign-in is an event too.
 */
export async function expectRefused(h: Harness, caseId: string | null, send: () => Promise<Response>, expected: ExpectedRefusal): Promise<Problem> {
  const before = await snapshot(h.db, caseId);
  const seqBefore = await headSeq(h.db);
  const response = await send();
  const problem = expectProblem(response, expected);
  expect(await snapshot(h.db, caseId), 'a refused command must leave the database unchanged').toEqual(before);
  // A refusal of a signed-in user is recorded (access.denied, off the case's history) — that and nothing else.
  const added = await h.db.selectFrom('events').select(['type', 'case_id']).where('seq', '>', seqBefore).orderBy('seq').execute();
  expect(added, 'a refusal adds only its access.denied record').toEqual(response.statusCode === 403 || response.statusCode === 404 ? [{ type: 'access.denied', case_id: null }] : []);
  return problem;
}

// ---------------------------------------------------------------------------------------------------------
// Driving a case

const EVENT_OF_PATH: Record<string, string> = {
  opinions: 'case.opinion-recorded',
  statement: 'case.opinion-recorded',
  applications: 'case.application-submitted',
  professional: 'case.marked-professional',
  experts: 'case.expert-invited',
  'expert-opinion': 'case.expert-opinion-recorded',
  assessment: 'case.assessment-recorded',
  deliberations: 'case.deliberation-recorded',
  decision: 'case.decided',
  'decision/approval': 'case.decision-approved|case.decision-returned',
  service: 'case.served',
  appeal: 'case.appeal-lodged',
  'appeal/decision': 'case.appeal-decided',
  // Closing also seals the case file: its own event comes first, in the same transaction (R8, R16).
  close: 'case.file-sealed,case.closed',
};

export interface CommandResult {
  data: Record<string, unknown>;
  version: number;
}

/**
 * Checks that a successful command appended its event(s) since `seqBefore`, all about this case: exactly one
 * (of one of the `|`-separated types), or for closing the comma-separated sequence (the seal, then the close).
 */
export async function expectOneCaseEvent(db: Db, seqBefore: string, caseId: string, types: string): Promise<void> {
  const events = await db.selectFrom('events').select(['seq', 'type', 'case_id']).where('seq', '>', seqBefore).orderBy('seq').execute();
  const sequence = types.includes(',') ? types.split(',') : undefined;
  for (const event of events) expect(event.case_id).toBe(caseId);
  if (sequence) {
    // Closing first issues the documents the case file still lacks, each with its own event.
    const issued = events.slice(0, events.length - sequence.length);
    expect(issued.every((e) => e.type === 'case.document-generated'), events.map((e) => e.type).join()).toBe(true);
    expect(events.slice(issued.length).map((e) => e.type)).toEqual(sequence);
  } else {
    expect(events, 'a successful command appends exactly one event').toHaveLength(1);
    expect(types.split('|')).toContain(events[0]!.type);
  }
}

export const headSeq = async (db: Db): Promise<string> => (await db.selectFrom('chain_head').select('seq').executeTakeFirstOrThrow()).seq;

/** One case and the version the users last saw. */
export class CaseFlow {
  version: number;
  applications: string[] = [];
  recommendation: string | undefined;

  constructor(
    readonly h: Harness,
    readonly id: string,
    version: number,
  ) {
    this.version = version;
  }

  url(path?: string): string {
    return path ? `/api/v1/cases/${this.id}/${path}` : `/api/v1/cases/${this.id}`;
  }

  /** A command that must succeed: 200, a new version, exactly one new event about this case. */
  async command(user: UserKey, path: string, payload: Record<string, unknown>): Promise<CommandResult> {
    const session = await this.h.as(user);
    // A real user takes a moment between two actions; "latest" records are ordered by time.
    this.h.advance(1000);
    const seqBefore = await headSeq(this.h.db);
    const response = await session.inject({ method: 'POST', url: this.url(path), payload: { version: this.version, ...payload } });
    expect(response.statusCode, `${user} POST ${path}: ${response.body}`).toBe(200);
    const result = response.json() as CommandResult;
    expect(result.version).toBe(this.version + 1);
    await expectOneCaseEvent(this.h.db, seqBefore, this.id, EVENT_OF_PATH[path] ?? '?');
    this.version = result.version;
    return result;
  }

  /** Sends a command as is (with the current version unless the payload names one); the caller checks. */
  send(session: Session, path: string, payload: Record<string, unknown> = {}): Promise<Response> {
    return session.inject({ method: 'POST', url: this.url(path), payload: { version: this.version, ...payload } });
  }

  /** Signs the user in, then sends a command that must be refused with nothing written. */
  async refuse(user: UserKey, path: string, payload: Record<string, unknown>, expected: ExpectedRefusal): Promise<Problem> {
    const session = await this.h.as(user);
    return expectRefused(this.h, this.id, () => this.send(session, path, payload), expected);
  }

  async view(user: UserKey): Promise<{ data: Record<string, unknown> & { decisions: DecisionView[] }; abilities: Record<string, { allowed: boolean; code?: string; rule?: string }> }> {
    const session = await this.h.as(user);
    const response = await session.inject({ method: 'GET', url: this.url() });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  async row() {
    return this.h.db.selectFrom('cases').selectAll().where('id', '=', this.id).executeTakeFirstOrThrow();
  }
}

export interface DecisionView {
  id: string;
  version: number;
  source: string;
  outcome: string;
  reduction: string | null;
  measures: string[];
  measureDetails: string;
  toleranceOpinion: string;
  toleranceReasons: string | null;
  departureReason: string | null;
  approvalState: string;
  current: boolean;
  inForce: boolean;
}

export type OfficialKey = 'official' | 'seniorOfficial';

/** Opens a case as the 东城 handler (or another user) against one of the world's officials. */
export async function openCase(h: Harness, options: { official?: OfficialKey; by?: UserKey; title?: string } = {}): Promise<CaseFlow> {
  const session = await h.as(options.by ?? 'handler');
  const seqBefore = await headSeq(h.db);
  const response = await session.inject({
    method: 'POST',
    url: '/api/v1/cases',
    payload: {
      officialId: h.world.officials[options.official ?? 'official'],
      title: options.title ?? '东城区某改革试点项目资金拨付延误',
      description: '在推进审批制度改革试点中，因政策界限不明确导致项目资金拨付延误约两个月。',
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const { data, version } = response.json() as { data: { id: string }; version: number };
  await expectOneCaseEvent(h.db, seqBefore, data.id, 'case.opened');
  return new CaseFlow(h, data.id, version);
}

export const STEPS = ['opened', 'heard', 'assessed', 'deliberated', 'awaiting-approval', 'decided', 'served', 'under-appeal'] as const;
export type Step = (typeof STEPS)[number];

export interface DriveOptions {
  official?: OfficialKey;
  title?: string;
  /** An application from the official before the deliberation (answered there). */
  application?: boolean;
  /** Marks the case professional and has the invited expert answer. */
  professional?: boolean;
  assessment?: Record<string, unknown>;
  /** Defaults to the engine's recommendation; a departure gets a reason unless `departureReason` is given. */
  proposedOutcome?: 'exempt' | 'reduced' | 'not_tolerated';
  departureReason?: string | null;
  /** Defaults to the decision that matches the recommendation. */
  decision?: Record<string, unknown>;
}

const MEMBERS_PRESENT = 3;

/**
 * Takes a new case through the API to the given step, each step by the user whose role it is:
 * opened → heard (the official's statement) → assessed → deliberated → decided (approved when the decision needs
 * it; `awaiting-approval` stops before) → served → under-appeal.
 */
export async function driveTo(h: Harness, step: Step, options: DriveOptions = {}): Promise<CaseFlow> {
  const target = STEPS.indexOf(step);
  const reached = (s: Step) => STEPS.indexOf(s) <= target;
  const flow = await openCase(h, { ...(options.official ? { official: options.official } : {}), ...(options.title ? { title: options.title } : {}) });
  const ownOfficial = (options.official ?? 'official') === 'official';

  if (reached('heard')) {
    if (ownOfficial) {
      await flow.command('official', 'statement', { content: '本人在试点中按照集体研究意见推进，因政策界限不明确出现延误，已主动整改。' });
    } else {
      // The senior official has no account: the handler records the statement heard in a talk.
      await flow.command('handler', 'opinions', { kind: 'statement', source: '李华（本人）', content: '本人对延误负有领导责任，已督促整改。' });
    }
    if (options.application) {
      const applied = await flow.command(ownOfficial ? 'official' : 'partyOrg', 'applications', { content: '本人申请容错：属于第八条第（二）项情形，出于公心推进改革试点。' });
      flow.applications.push(applied.data.id as string);
    }
    if (options.professional) {
      await flow.command('handler', 'professional', { professional: true });
      await flow.command('handler', 'experts', { expertId: h.world.users.expert.id, question: '资金拨付流程的技术规范当时是否明确？', evidenceIds: [] });
      await flow.command('expert', 'expert-opinion', { content: '相关技术规范当时尚未出台，属于政策界限不明确。' });
    }
  }
  if (reached('assessed')) {
    const assessed = await flow.command('handler', 'assessment', { input: options.assessment ?? ASSESSMENTS.favourable });
    flow.recommendation = assessed.data.recommendation as string;
  }
  if (reached('deliberated')) {
    await flow.command('handler', 'deliberations', deliberationBody(h, flow, options));
  }
  if (reached('awaiting-approval')) {
    const decision = decisionBody(flow, options);
    const decided = await flow.command('handler', 'decision', decision);
    if (step === 'awaiting-approval') {
      expect(decided.data.requiresApproval, 'this decision was expected to need approval').toBe(true);
      return flow;
    }
    if (decided.data.requiresApproval) await flow.command('approver', 'decision/approval', { approve: true });
  }
  if (reached('served')) {
    await flow.command('handler', 'service', EXPLANATIONS);
  }
  if (reached('under-appeal')) {
    await flow.command('official', 'appeal', { grounds: '本人认为处理过重，申请复查。' });
  }
  return flow;
}

/** A valid deliberation of this case: 3 of the 5 members, every application answered. */
export function deliberationBody(h: Harness, flow: CaseFlow, options: DriveOptions = {}): Record<string, unknown> {
  const present = h.world.users.members.slice(0, MEMBERS_PRESENT).map((m) => m.id);
  const proposed = options.proposedOutcome ?? flow.recommendation ?? 'exempt';
  const departs = proposed !== flow.recommendation;
  return {
    heldOn: '2026-03-10',
    membersPresent: present,
    memberOpinions: present.map((memberId) => ({ memberId, opinion: proposed, comment: '同意。' })),
    accountabilityOpinion: proposed === 'exempt' ? '不予问责。' : '应当问责。',
    toleranceOpinion: proposed === 'not_tolerated' ? '经研究，不符合容错条件，不予容错。' : '符合第八条第（二）项情形，予以容错。',
    proposedOutcome: proposed,
    applicationAnswers: flow.applications.map((applicationId) => ({ applicationId, answer: '经集体研究，已在容错意见中予以答复。' })),
    ...(options.departureReason !== undefined ? { departureReason: options.departureReason } : departs ? { departureReason: '综合考虑社会影响，与研判建议不同。' } : {}),
  };
}

export function decisionBody(flow: CaseFlow, options: DriveOptions = {}): Record<string, unknown> {
  if (options.decision) return options.decision;
  switch (flow.recommendation) {
    case 'not_tolerated':
      return DECISIONS.notTolerated;
    case 'reduced':
      return { ...DECISIONS.reduced, departureReason: undefined };
    default:
      return DECISIONS.exempt;
  }
}

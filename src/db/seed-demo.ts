import { hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../access/actor.js';
import { appendEvent } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import type { AppCrypto } from '../crypto/app-crypto.js';
import { approveDecision } from '../commands/approve-decision.js';
import type { CaseCommandProps } from '../commands/case-command.js';
import { closeCase } from '../commands/close-case.js';
import { decideAppeal } from '../commands/decide-appeal.js';
import { decide } from '../commands/decide.js';
import { inviteExpert, markProfessional, recordExpertOpinion } from '../commands/invite-expert.js';
import { lodgeAppeal } from '../commands/lodge-appeal.js';
import { openCase } from '../commands/open-case.js';
import { recordAssessment } from '../commands/record-assessment.js';
import { recordDeliberation } from '../commands/record-deliberation.js';
import { recordOpinion, recordStatement } from '../commands/record-opinion.js';
import { serveDecision } from '../commands/serve-decision.js';
import { submitApplication } from '../commands/submit-application.js';
import { AppError } from '../errors.js';
import type { FileStore } from '../files/store.js';
import { sealIdentifiers } from '../privacy/identifiers.js';
import type { Db, Tx } from './connect.js';
import { DEMO_STORIES, type DemoStep, type DemoStory } from './demo/cases.js';
import { demoIdentifiers } from './demo/identifiers.js';
import { DEMO_OFFICIALS } from './demo/officials.js';
import { DEMO_ORGANIZATIONS } from './demo/organizations.js';
import { DEMO_ACCOUNTS, type DemoRole } from './demo/users.js';

/**
 * Demo data for a first start, so a newcomer can sign in and try the product: a Beijing-like municipality
 * (tree and reasons in demo/organizations.ts), fifty fictional officials, accounts for every role, and a dozen
 * cases in every step of the procedure (demo/cases.ts). These accounts and their password are public on purpose
 * (printed at start-up and by `rongcuo seed-demo`); they are created only in a database without users, and never
 * on a server configured with DATABASE_URL unless RONGCUO_DEMO=1. The first sign-in of each account enrols its
 * authenticator and must replace the public password (等保: no default passwords left in use).
 */
export const DEMO_PASSWORD = 'rongcuo-demo';

export interface DemoLogin {
  username: string;
  displayName: string;
  role: DemoRole;
}

/** The main logins, one per role (not every deliberation member), for printing. */
export const DEMO_USERS: readonly DemoLogin[] = DEMO_ACCOUNTS.filter((account) => account.listed).map((account) => ({
  username: account.username,
  displayName: `${account.name} · ${account.title}`,
  role: account.roles[0]!.role,
}));

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** What the seeded rows are called by: the keys of the demo data files, mapped to database ids. */
interface People {
  orgIds: Map<string, string>;
  officialIds: Map<string, string>;
  actors: Map<string, Actor>;
}

/**
 * Seeds the demo when the database has no users yet. Returns whether it seeded.
 *
 * Not one transaction: every case step goes through its command, and each command opens its own transaction
 * (kysely cannot nest them), so the cases carry exactly the rows and audit events that real use would leave.
 * The organizations, officials and accounts are written first in one transaction, under an advisory lock so that
 * two servers starting at once cannot both seed; then the cases are replayed step by step. If a step fails, the
 * database holds a partial demo that a later start would not complete (it has users, so it is skipped), and the
 * audit chain cannot be rolled back. We say so loudly rather than pretend: the error asks to recreate the
 * database. A step can only fail if a rule changed under the demo stories — the seed test catches that first.
 *
 * `crypto` is the server's cryptography: the officials' fictional ID numbers and phones (demo/identifiers.ts) are
 * sealed under its keyring, which the server must then use to reveal them. Without it they get none.
 */
export async function seedDemo(db: Db, clock: Clock, files: FileStore, crypto?: AppCrypto): Promise<boolean> {
  // A cheap look before hashing; the check that counts is the one under the lock.
  if (await hasUsers(db)) return false;
  const now = clock.now().getTime();
  // The organizations and accounts "exist" a week before the first case, so the chain reads in calendar order.
  const earliest = Math.max(...DEMO_STORIES.map((story) => story.startDaysAgo));
  const setupClock = fixedAt(new Date(now - (earliest + 7) * DAY_MS));
  // One hash for every account: argon2 is slow on purpose, and the demo password is public anyway.
  const passwordHash = await hash(DEMO_PASSWORD);

  const people = await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('rongcuo/seed-demo'))`.execute(tx);
    if (await hasUsers(tx)) return undefined;
    return createPeople(tx, passwordHash, setupClock, crypto);
  });
  if (!people) return false;

  try {
    await replayStories(db, files, people, now);
  } catch (error) {
    const reason = describe(error);
    throw new Error(
      `演示数据只写入了一部分：${reason}。数据库中已有组织、账号和部分案件，再次启动不会补齐；请删除该数据库（内置数据库即删除 RONGCUO_DATA 目录）后重新创建。` +
        ` / The demo seed failed midway (${reason}); the database now holds a partial demo and should be recreated.`,
      { cause: error },
    );
  }
  return true;
}

async function hasUsers(db: Db | Tx): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

const fixedAt = (at: Date): Clock => ({ now: () => new Date(at) });

function describe(error: unknown): string {
  if (error instanceof AppError) return `${error.message}（${error.code}: ${error.messageEn}）`;
  return error instanceof Error ? error.message : String(error);
}

function lookup<V>(map: Map<string, V>, key: string, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`demo data: unknown ${what} "${key}"`);
  return value;
}

/**
 * Organizations (parents first), officials and accounts, each with its audit event, in one transaction. With the
 * server's cryptography, the officials get their (fictional) ID numbers and phones, sealed under its keyring;
 * without it (tests that need none) they have none, like officials registered before migration 0012.
 */
async function createPeople(tx: Tx, passwordHash: string, clock: Clock, crypto: AppCrypto | undefined): Promise<People> {
  const createdAt = clock.now();
  const orgIds = new Map<string, string>();
  for (const org of DEMO_ORGANIZATIONS) {
    const parentId = org.parent === null ? null : lookup(orgIds, org.parent, 'parent organization');
    const row = await tx
      .insertInto('organizations')
      .values({ name: org.name, short_name: org.shortName, type: org.type, parent_id: parentId, created_at: createdAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    orgIds.set(org.key, row.id);
    await appendEvent(tx, { type: 'organization.created', actor: 'system', payload: { organizationId: row.id, parentId, name: org.name, type: org.type, demo: true } }, clock);
  }

  const officialIds = new Map<string, string>();
  const officialOrg = new Map<string, string>();
  for (const official of DEMO_OFFICIALS) {
    const organizationId = lookup(orgIds, official.org, 'organization');
    const managingOrgId = lookup(orgIds, official.managedBy, 'managing organ');
    // The id is chosen here because the sealed identifiers are bound to it.
    const id = randomUUID();
    const identifiers = crypto ? sealIdentifiers(crypto.secrets, id, demoIdentifiers(official)) : {};
    const row = await tx
      .insertInto('officials')
      .values({
        id,
        ...identifiers,
        name: official.name,
        organization_id: organizationId,
        position: official.position,
        rank: official.rank,
        category: official.category,
        managing_org_id: managingOrgId,
        created_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    officialIds.set(official.key, row.id);
    officialOrg.set(official.key, organizationId);
    // No name in the event: the chain is append-only, so it keeps ids rather than personal data (and which
    // identifiers were recorded, never their values).
    const recorded = crypto ? { identifiers: ['idNumber', 'phone'] } : {};
    await appendEvent(tx, { type: 'official.created', actor: 'system', payload: { officialId: row.id, organizationId, managingOrgId, ...recorded, demo: true } }, clock);
  }

  const actors = new Map<string, Actor>();
  for (const account of DEMO_ACCOUNTS) {
    const officialId = 'official' in account ? lookup(officialIds, account.official, 'official') : null;
    const roles = account.roles.map((grant) => ({ role: grant.role, organizationId: lookup(orgIds, grant.org, 'organization') }));
    if ('official' in account && roles.some((g) => g.role === 'official' && g.organizationId !== officialOrg.get(account.official))) {
      throw new Error(`demo data: ${account.username}'s official role must be at the official's own organization`);
    }
    const displayName = `${account.name}（${account.title}）`;
    // password_changed_at NULL: the public demo password was set by the seed, not chosen by anyone, so the first
    // sign-in must change it (after enrolling the second factor), as for any account someone else set up.
    const row = await tx
      .insertInto('users')
      .values({ username: account.username, display_name: displayName, password_hash: passwordHash, password_changed_at: null, official_id: officialId, disabled_at: null, created_at: createdAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('user_roles')
      .values(roles.map((grant) => ({ user_id: row.id, role: grant.role, organization_id: grant.organizationId })))
      .execute();
    await appendEvent(tx, { type: 'user.created', actor: 'system', payload: { userId: row.id, roles, officialId, demo: true } }, clock);
    actors.set(account.username, { userId: row.id, username: account.username, displayName, officialId, roles });
  }
  return { orgIds, officialIds, actors };
}

/** Where a story stands while it is replayed. */
interface StoryRun {
  caseId: string | undefined;
  version: number;
  /** Application ids in the order submitted: the deliberation answers them in this order. */
  applicationIds: string[];
}

const AGREEMENT = ['同意。', '同意经办部门意见。', '同意，建议做好跟踪回访。', '同意，建议督促整改到位。', '同意研判意见。'];

/**
 * Replays every story's steps in calendar order across all stories. Each step runs at its own moment (the clock
 * handed to the command), as the user the story names, on the version the previous step returned.
 */
async function replayStories(db: Db, files: FileStore, people: People, now: number): Promise<void> {
  const schedule = DEMO_STORIES.flatMap((story, storyIndex) =>
    story.steps.map((step, stepIndex) => ({
      // Stories on the same day are spread over the morning, so no two steps share a timestamp.
      at: new Date(now - story.startDaysAgo * DAY_MS + step.day * DAY_MS + storyIndex * 17 * MINUTE_MS),
      story,
      step,
      stepIndex,
    })),
  );
  for (const entry of schedule) {
    if (entry.at.getTime() >= now) throw new Error(`demo data: story ${entry.story.key} has a step in the future (day ${entry.step.day})`);
  }
  schedule.sort((a, b) => a.at.getTime() - b.at.getTime());

  const runs = new Map<DemoStory, StoryRun>(DEMO_STORIES.map((story) => [story, { caseId: undefined, version: 0, applicationIds: [] }]));
  for (const { at, story, step, stepIndex } of schedule) {
    const run = runs.get(story)!;
    try {
      await runStep(db, files, people, story, run, step, at);
    } catch (error) {
      const title = story.steps.find((s) => s.do === 'open')?.title ?? story.key;
      throw new Error(`案件「${title}」第 ${stepIndex + 1} 步（${step.do}）失败：${describe(error)}`, { cause: error });
    }
  }

  for (const story of DEMO_STORIES) {
    const { caseId } = runs.get(story)!;
    const row = caseId ? await db.selectFrom('cases').select('state').where('id', '=', caseId).executeTakeFirst() : undefined;
    if (row?.state !== story.ends) throw new Error(`demo story ${story.key} ended in state ${row?.state ?? '(not opened)'}, expected ${story.ends}`);
  }
}

/** Asia/Shanghai calendar date (no daylight saving), as deliberation minutes are dated. */
const beijingDate = (at: Date) => new Date(at.getTime() + 8 * 60 * MINUTE_MS).toISOString().slice(0, 10);

async function runStep(db: Db, files: FileStore, people: People, story: DemoStory, run: StoryRun, step: DemoStep, at: Date): Promise<void> {
  const clock = fixedAt(at);
  const actor = lookup(people.actors, step.by, 'user');
  const userId = (username: string) => lookup(people.actors, username, 'user').userId;

  if (step.do === 'open') {
    const opened = await openCase({ db, clock, actor, officialId: lookup(people.officialIds, story.official, 'official'), title: step.title, description: step.description });
    run.caseId = opened.id;
    run.version = opened.version;
    return;
  }
  if (!run.caseId) throw new Error(`demo story ${story.key}: a step before the case is opened`);
  const base: CaseCommandProps = { db, clock, actor, caseId: run.caseId, expectedVersion: run.version };

  let result: { version: number };
  switch (step.do) {
    case 'opinion':
      result = await recordOpinion({ ...base, kind: step.kind, source: step.source, content: step.content });
      break;
    case 'statement':
      result = await recordStatement({ ...base, content: step.content });
      break;
    case 'application': {
      const submitted = await submitApplication({ ...base, content: step.content });
      run.applicationIds.push(submitted.id);
      result = submitted;
      break;
    }
    case 'markProfessional':
      result = await markProfessional({ ...base, professional: true });
      break;
    case 'inviteExpert':
      // No evidence is shared: the demo has no attachments, and the question says what is asked.
      result = await inviteExpert({ ...base, expertId: userId(step.expert), question: step.question, evidenceIds: [] });
      break;
    case 'expertOpinion':
      result = await recordExpertOpinion({ ...base, content: step.content });
      break;
    case 'assess': {
      const assessed = await recordAssessment({ ...base, input: step.input, note: step.note });
      if (assessed.recommendation !== step.expect) {
        throw new Error(`the engine recommends ${assessed.recommendation}, the story expects ${step.expect}`);
      }
      result = assessed;
      break;
    }
    case 'deliberate': {
      if (step.answers.length !== run.applicationIds.length) {
        throw new Error(`${run.applicationIds.length} applications on file, ${step.answers.length} answers in the story`);
      }
      const memberOpinions = step.present.map((member, i) => {
        const dissent = step.dissent?.find((d) => d.member === member);
        return { memberId: userId(member), opinion: dissent?.opinion ?? step.proposedOutcome, comment: dissent?.comment ?? AGREEMENT[i % AGREEMENT.length]! };
      });
      result = await recordDeliberation({
        ...base,
        heldOn: beijingDate(at),
        membersPresent: step.present.map(userId),
        memberOpinions,
        accountabilityOpinion: step.accountabilityOpinion,
        toleranceOpinion: step.toleranceOpinion,
        proposedOutcome: step.proposedOutcome,
        applicationAnswers: run.applicationIds.map((applicationId, i) => ({ applicationId, answer: step.answers[i]! })),
        departureReason: step.departureReason ?? null,
      });
      break;
    }
    case 'decide': {
      const decided = await decide({ ...base, ...step.decision });
      if (decided.requiresApproval !== step.expectApproval) {
        throw new Error(`the decision ${decided.requiresApproval ? 'needs' : 'does not need'} approval, the story expects otherwise`);
      }
      result = decided;
      break;
    }
    case 'approve':
      result = await approveDecision({ ...base, approve: true, ...(step.note ? { note: step.note } : {}) });
      break;
    case 'return':
      result = await approveDecision({ ...base, approve: false, note: step.note });
      break;
    case 'serve':
      result = await serveDecision({ ...base, explanationToOfficial: step.toOfficial, explanationToPartyOrg: step.toPartyOrg });
      break;
    case 'appeal':
      result = await lodgeAppeal({ ...base, grounds: step.grounds });
      break;
    case 'decideAppeal':
      result = await decideAppeal({ ...base, outcome: step.outcome, reasons: step.reasons, ...(step.change ? { change: step.change } : {}) });
      break;
    case 'close':
      result = await closeCase({ ...base, files });
      break;
  }
  run.version = result.version;
}

import { auditActor } from '../../src/access/actor.js';
import { recordDigest } from '../../src/audit/digest.js';
import { isAppealable, OUTCOMES, requiresApproval, type CaseState, type Outcome } from '../../src/cases/procedure.js';
import { addMonths, DEFAULT_SETTINGS, type AccountabilityMeasure } from '../../src/cases/settings.js';
import { DEMO_STORIES } from '../../src/db/demo/cases.js';
import { addMonthsToDay, beijingDay } from '../../src/followup/dates.js';
import { DEFAULT_FOLLOWUP_SETTINGS, VISITED_OUTCOMES } from '../../src/followup/settings.js';
import { evaluate, getPack, packFor, parseAssessmentInput } from '../../src/policy/index.js';
import type { DocumentKind } from '../../src/documents/kinds.js';
import type { DecisionsTable } from '../../src/db/schema.js';
import type { Selectable } from 'kysely';
import { planRectification, recordVisits } from './aftercare.js';
import { closeAndSeal } from './casefile.js';
import type { Cell, Row } from './copy.js';
import type { Official } from './officials.js';
import { Random } from './random.js';
import { beijingDayNumber, beijingMinute, StoryCalendar, type Recorder, type Step, type StoredContent } from './story.js';
import * as text from './texts.js';
import type { Account, CommissionStaff } from './users.js';

/**
 * Each case is driven along a legal path of the procedure (src/cases/procedure.ts) — the same path the demo
 * stories take, step by step, with the actor the access rules require for each step — and each step writes the
 * rows and the audit event its command writes (src/commands/): the same event type, the same payload fields,
 * the case version bumped by every case command and named in its event, so test/helpers/case-history.ts can
 * replay the history. The dataset's "now" finds each case in a state drawn from STATE_SHARES: the story is
 * planned in full, then opened on a day chosen so that now falls inside that state.
 */

/**
 * Where cases stand on the dataset's day. Most are closed; the open ones are spread over the states roughly in
 * proportion to how long a case stays in each (Little's law): the investigation lasts weeks, waiting for an
 * approval or for service days, and the appeal window a month. The first eight cases take one state each, so
 * even a dataset of a few cases holds every state.
 */
export const STATE_SHARES: Readonly<Record<CaseState, number>> = {
  closed: 80,
  investigating: 7,
  deliberated: 2,
  'awaiting-approval': 1.5,
  decided: 1.5,
  served: 4,
  'under-appeal': 1.5,
  'appeal-decided': 2.5,
};
const STATE_ORDER = Object.keys(STATE_SHARES) as CaseState[];

/**
 * Outcomes. Every accountability case is examined for tolerance (R1), and most are not tolerated; published
 * provincial figures put tolerance (免责 and 减责 together) at roughly a quarter to a third of the cases examined.
 */
const OUTCOME_SHARES: Readonly<Record<Outcome, number>> = { not_tolerated: 60, reduced: 25, exempt: 15 };
const APPEAL_OUTCOMES = { upheld: 70, changed: 22, revoked: 8 } as const;
type AppealOutcome = keyof typeof APPEAL_OUTCOMES;

export interface AttachmentContent extends StoredContent {
  extension: 'pdf' | 'jpg';
}

export interface AssessmentTemplate {
  input: unknown;
  inputJson: string;
  outputJson: string;
  note: string;
  recommendation: Outcome;
  binding: boolean;
  digest: string;
  policy: { id: string; version: string };
}

/** The assessments of the demo stories, run through the engine once each: real inputs with real outputs. */
export function assessmentTemplates(asOf: Date): Record<Outcome, AssessmentTemplate[]> {
  const byOutcome: Record<Outcome, AssessmentTemplate[]> = { exempt: [], reduced: [], not_tolerated: [] };
  const pack = getPack(packFor(asOf).id);
  for (const story of DEMO_STORIES) {
    for (const step of story.steps) {
      if (step.do !== 'assess') continue;
      const input = parseAssessmentInput(pack, step.input);
      const output = evaluate(pack, input);
      if (output.recommendation !== step.expect) throw new Error(`demo assessment of ${story.key}: the engine recommends ${output.recommendation}, the story expects ${step.expect}`);
      byOutcome[output.recommendation].push({
        input,
        inputJson: JSON.stringify(input),
        outputJson: JSON.stringify(output),
        note: step.note,
        recommendation: output.recommendation,
        binding: output.binding,
        digest: recordDigest({ input, note: step.note }),
        policy: { id: pack.id, version: pack.version },
      });
    }
  }
  for (const [outcome, list] of Object.entries(byOutcome)) if (list.length === 0) throw new Error(`no demo assessment recommends ${outcome}`);
  return byOutcome;
}

export interface CaseWorld {
  asOf: number;
  /** The first Beijing day a case may be opened on. */
  firstDay: number;
  staff: readonly CommissionStaff[];
  experts: readonly Account[];
  officialAccounts: ReadonlyMap<string, Account>;
  partyAccounts: ReadonlyMap<string, Account>;
  attachments: readonly AttachmentContent[];
  assessments: Record<Outcome, AssessmentTemplate[]>;
  /** SHA-256 of the shipped default template of each document kind. */
  templates: Record<DocumentKind, string>;
}

export interface CaseStory {
  index: number;
  id: string;
  target: CaseState;
  openedAt: number;
  steps: Step[];
  /** Writes the rows that later steps kept changing (the case, its decisions…) as they stand once the story is over. */
  finish(recorder: Recorder): void;
}

/** The state of one case while its story runs: what the commands would read back from the database. */
export interface CaseRun {
  id: string;
  random: Random;
  official: Official;
  staff: CommissionStaff;
  handler: Account;
  officialAccount: Account;
  partyAccount: Account;
  topic: string;
  title: string;
  row: Row<'cases'> & { state: CaseState; version: number };
  evidence: { id: string; title: string; attachments: { id: string; content: AttachmentContent; filename: string }[] }[];
  decisions: DecisionRow[];
  service: { id: string; decisionId: string } | undefined;
  appeal: Row<'appeals'> | undefined;
  /** Rows that later steps change (an invitation's opinion, a plan's version, an item's status, a visit made): written by `finish`. */
  mutable: { table: 'expert_invitations' | 'rectification_plans' | 'rectification_items' | 'followup_visits'; row: Record<string, Cell> }[];
}

/**
 * A decision as the `decisions` row holds it (the schema's own shape; a generated one always follows a
 * deliberation); later steps change its approval and currency.
 */
export type DecisionRow = Selectable<DecisionsTable> & { deliberation_id: string } & Record<string, Cell>;

/** Each case's target state, one per case, drawn from STATE_SHARES (the first eight cover every state). */
export function caseTarget(seed: string, index: number): CaseState {
  if (index < STATE_ORDER.length) return STATE_ORDER[index]!;
  return Random.derive(seed, 'target', index).weighted(STATE_SHARES);
}

const actorOf = (account: Account) => auditActor({ userId: account.id });

/** The days between two steps of the main path: at least two, so that "now" can always fall between them. */
const gap = (r: Random, min: number, max: number) => Math.max(2, r.between(min, max));

export function planCase(world: CaseWorld, seed: string, index: number, official: Official, target: CaseState): CaseStory {
  const r = Random.derive(seed, 'case', index);
  const calendar = new StoryCalendar(r);
  const staff = world.staff[official.managing.index]!;
  const handlerIndex = r.int(staff.handlers.length);
  const handler = staff.handlers[handlerIndex]!;
  // The appeal goes to a handler who took no part in the decision (R10).
  const reviewer = staff.handlers[(handlerIndex + 1 + r.int(staff.handlers.length - 1)) % staff.handlers.length]!;
  const officialAccount = world.officialAccounts.get(official.id)!;
  const partyAccount = world.partyAccounts.get(official.unit.org.id)!;
  const facts = text.caseText(r, { unitName: official.unit.org.name, unitShort: official.unit.org.shortName, officialName: official.name, position: official.position });

  // ---- the plan: what happens to this case, decided up front so that the target state lies on its path ----
  const needsAppeal = target === 'under-appeal' || target === 'appeal-decided';
  const forceApproval = target === 'awaiting-approval';
  let outcome: Outcome = r.weighted(OUTCOME_SHARES);
  if ((needsAppeal || forceApproval) && outcome === 'exempt') outcome = r.chance(0.5) ? 'reduced' : 'not_tolerated';
  const measures = chooseMeasures(r, outcome, forceApproval);
  const reduction = outcome === 'reduced' ? (r.chance(0.6) ? 'lighter' : 'mitigated') : null;
  const needsApproval = requiresApproval(measures, official.rank, DEFAULT_SETTINGS);
  const appealable = isAppealable(outcome, measures);
  const appeal = needsAppeal || (appealable && target !== 'awaiting-approval' && r.chance(0.12));
  const appealOutcome: AppealOutcome = appeal ? r.weighted(APPEAL_OUTCOMES) : 'upheld';
  const returned = needsApproval && r.chance(0.07);
  // A few deliberations depart from a non-binding recommendation (R15), with their reason.
  const departs = outcome === 'not_tolerated' && r.chance(0.06);
  const assessment = r.pick(world.assessments[departs ? 'reduced' : outcome]);

  const id = r.uuid();
  const run: CaseRun = {
    id,
    random: r,
    official,
    staff,
    handler,
    officialAccount,
    partyAccount,
    topic: facts.topic,
    title: facts.title,
    row: {
      id,
      official_id: official.id,
      organ_id: official.managing.org.id,
      title: facts.title,
      description: facts.description,
      state: 'investigating',
      policy_id: assessment.policy.id,
      policy_version: assessment.policy.version,
      opened_by: handler.id,
      opened_at: null,
      updated_at: null,
      version: 0,
      professional: false,
      outcome: null,
      decided_at: null,
      served_at: null,
      appeal_deadline: null,
      closed_at: null,
      sensitivity: 1,
    },
    evidence: [],
    decisions: [],
    service: undefined,
    appeal: undefined,
    mutable: [],
  };

  /**
   * A case command (runCaseCommand): the body writes its rows; then the version is bumped and the event appended.
   * Now and then the user opened the case's page first, which the server records as a read (access-audit.ts).
   */
  const command = (day: number, account: Account, type: Parameters<Recorder['event']>[0], body: (rec: Recorder) => Record<string, unknown>, state?: CaseState) => {
    const readFirst = type !== 'case.opened' && r.chance(READ_SHARE);
    return calendar.add(
      day,
      (rec) => {
        if (readFirst) rec.event('case.read', actorOf(account), id, caseRead(rec, account, id));
        const payload = body(rec);
        run.row.version += 1;
        run.row.updated_at = rec.now;
        if (state) run.row.state = state;
        rec.event(type, actorOf(account), id, { ...payload, version: run.row.version });
      },
      state ? { state } : {},
    );
  };

  // ---- investigation (Art. 12) ----
  command(0, handler, 'case.opened', (rec) => {
    run.row.opened_at = rec.now;
    return { officialId: official.id, organId: official.managing.org.id, policy: assessment.policy.id, policyVersion: assessment.policy.version, recordHash: recordDigest({ title: facts.title, description: run.row.description }) };
  }, 'investigating');

  const investigationDays = Math.min(150, 12 + Math.round(r.exponential(30)));
  const during = () => r.between(1, investigationDays - 1);
  const evidenceCount = Math.min(6, 1 + Math.floor(r.exponential(1.3)));
  for (let i = 0; i < evidenceCount; i++) {
    command(during(), handler, 'case.evidence-recorded', (rec) => {
      const item = text.evidenceText(run.random, run.topic);
      const evidenceId = run.random.uuid();
      const attachments = Array.from({ length: run.random.between(1, 3) }, (_, k) => {
        const content = run.random.pick(world.attachments);
        return { id: run.random.uuid(), content, filename: content.extension === 'jpg' ? `现场照片${k + 1}.jpg` : `${item.title}${k > 0 ? `（${k + 1}）` : ''}.pdf` };
      });
      for (const a of attachments) rec.useFile(a.content);
      rec.write('evidence', { id: evidenceId, case_id: id, title: item.title, description: item.description, kind: item.kind, recorded_by: handler.id, recorded_at: rec.now });
      for (const a of attachments) {
        rec.write('evidence_attachments', { id: a.id, evidence_id: evidenceId, file_sha256: a.content.sha256, filename: a.filename, media_type: a.content.mediaType, size: a.content.size });
      }
      run.evidence.push({ id: evidenceId, title: item.title, attachments });
      return {
        evidenceId,
        kind: item.kind,
        attachments: attachments.map((a) => ({ sha256: a.content.sha256, size: a.content.size, mediaType: a.content.mediaType })),
        recordHash: recordDigest({ title: item.title, description: item.description }),
      };
    });
  }

  const heard = (day: number, kind: 'unit' | 'interested-party' | 'society' | 'statement', source: () => { source: string; content: string }) =>
    command(day, handler, 'case.opinion-recorded', (rec) => {
      const opinion = source();
      const opinionId = run.random.uuid();
      rec.write('opinions', { id: opinionId, case_id: id, kind, source: opinion.source, content: opinion.content, recorded_by: handler.id, recorded_at: rec.now });
      return { opinionId, kind, recordHash: recordDigest({ source: opinion.source, content: opinion.content }) };
    });
  if (r.chance(0.65)) heard(during(), 'unit', () => text.unitOpinion(run.random, official.unit.org.name));
  if (r.chance(0.15)) heard(during(), 'interested-party', () => text.partyOpinion(run.random, 'interested-party'));
  if (r.chance(0.1)) heard(during(), 'society', () => text.partyOpinion(run.random, 'society'));

  // R3: the official's statement is on file before the deliberation — their own, or as the handler heard it.
  if (r.chance(0.45)) {
    command(during(), officialAccount, 'case.opinion-recorded', (rec) => {
      const content = text.statementText(run.random);
      const opinionId = run.random.uuid();
      rec.write('opinions', { id: opinionId, case_id: id, kind: 'statement', source: officialAccount.displayName, content, recorded_by: officialAccount.id, recorded_at: rec.now });
      return { opinionId, kind: 'statement', byOfficial: true, recordHash: recordDigest({ content }) };
    });
  } else {
    heard(during(), 'statement', () => ({ source: `${official.name}（谈话笔录）`, content: text.statementText(run.random) }));
  }

  const applications: string[] = [];
  const applicationCount = r.weighted({ 0: 65, 1: 28, 2: 7 });
  for (let i = 0; i < Number(applicationCount); i++) {
    const byOfficial = r.chance(0.7);
    const applicant = byOfficial ? officialAccount : partyAccount;
    command(during(), applicant, 'case.application-submitted', (rec) => {
      const applicationId = run.random.uuid();
      const content = text.applicationText(run.random, byOfficial);
      const kind = byOfficial ? 'official' : 'party-organization';
      rec.write('applications', { id: applicationId, case_id: id, applicant_kind: kind, applicant_id: applicant.id, party_org_id: byOfficial ? null : official.unit.org.id, content, submitted_at: rec.now });
      applications.push(applicationId);
      return { applicationId, applicantKind: kind, recordHash: recordDigest({ content }) };
    });
  }

  // Art. 12 ¶2: a professional question needs an expert's opinion before the deliberation (R3).
  if (r.chance(0.1) && investigationDays >= 8) {
    const markDay = r.between(1, investigationDays - 6);
    const expert = r.pick(world.experts);
    command(markDay, handler, 'case.marked-professional', () => {
      run.row.professional = true;
      return { professional: true };
    });
    const inviteDay = markDay + r.between(1, 2);
    const invitation: Record<string, Cell> = {};
    command(inviteDay, handler, 'case.expert-invited', (rec) => {
      // The evidence recorded so far may be shared with the expert; nothing else of the case is shown to them.
      const shared = run.evidence.slice(0, run.random.int(run.evidence.length + 1)).map((e) => e.id);
      const question = text.expertQuestion(run.random, run.topic);
      Object.assign(invitation, { id: run.random.uuid(), case_id: id, expert_id: expert.id, question, evidence_ids: shared, invited_by: handler.id, invited_at: rec.now, opinion_id: null });
      run.mutable.push({ table: 'expert_invitations', row: invitation });
      return { invitationId: invitation.id, expertId: expert.id, evidenceIds: shared, recordHash: recordDigest({ question }) };
    });
    command(r.between(inviteDay + 1, investigationDays - 1), expert, 'case.expert-opinion-recorded', (rec) => {
      const content = text.expertOpinionText(run.random);
      const opinionId = run.random.uuid();
      rec.write('opinions', { id: opinionId, case_id: id, kind: 'expert', source: expert.displayName, content, recorded_by: expert.id, recorded_at: rec.now });
      invitation.opinion_id = opinionId;
      return { opinionId, invitationId: invitation.id, recordHash: recordDigest({ content }) };
    });
  }

  // ---- the assessment (Art. 8–10), recorded again now and then as the facts settle ----
  let latestAssessment = '';
  const assess = (day: number) =>
    command(day, handler, 'case.assessment-recorded', (rec) => {
      const assessmentId = run.random.uuid();
      rec.write('assessments', {
        id: assessmentId,
        case_id: id,
        input: assessment.inputJson,
        engine_output: assessment.outputJson,
        policy_id: assessment.policy.id,
        policy_version: assessment.policy.version,
        note: assessment.note,
        recorded_by: handler.id,
        recorded_at: rec.now,
      });
      latestAssessment = assessmentId;
      return { assessmentId, policy: assessment.policy.id, policyVersion: assessment.policy.version, recommendation: assessment.recommendation, binding: assessment.binding, recordHash: assessment.digest };
    });
  if (r.chance(0.08)) assess(investigationDays - 1);
  let day = investigationDays;
  assess(day);

  // ---- deliberation and decision (Art. 13), with the higher authority's approval where R7 asks for it ----
  const deliberations: { id: string; present: string[] }[] = [];
  const deliberate = (at: number) =>
    command(at, handler, 'case.deliberation-recorded', (rec) => {
      const members = staff.members;
      const present = run.random.sample(members, run.random.between(Math.floor(members.length / 2) + 1, members.length)).map((m) => m.id);
      const dissenter = run.random.chance(0.1) ? run.random.int(present.length) : -1;
      const memberOpinions = present.map((memberId, i) => ({
        memberId,
        opinion: i === dissenter ? (outcome === 'not_tolerated' ? 'reduced' : 'not_tolerated') : outcome,
        comment: i === dissenter ? '持不同意见，建议综合考虑情节后再议。' : run.random.pick(text.MEMBER_COMMENTS),
      }));
      const words = text.deliberationText(run.random, outcome, official.name);
      const applicationAnswers = applications.map((applicationId) => ({ applicationId, answer: text.applicationAnswer(run.random, outcome) }));
      const departureReason = departs ? text.DEPARTURE_REASON : null;
      const deliberationId = run.random.uuid();
      const heldOn = beijingDay(rec.now);
      rec.write('deliberations', {
        id: deliberationId,
        case_id: id,
        held_on: heldOn,
        member_count: members.length,
        members_present: present,
        member_opinions: JSON.stringify(memberOpinions),
        accountability_opinion: words.accountability,
        tolerance_opinion: words.tolerance,
        proposed_outcome: outcome,
        application_answers: JSON.stringify(applicationAnswers),
        assessment_id: latestAssessment,
        departure_reason: departureReason,
        recorded_by: handler.id,
        recorded_at: rec.now,
      });
      deliberations.push({ id: deliberationId, present });
      return {
        deliberationId,
        memberCount: members.length,
        present: present.length,
        proposedOutcome: outcome,
        recommendation: assessment.recommendation,
        departs,
        recordHash: recordDigest({
          heldOn,
          membersPresent: present,
          memberOpinions,
          accountabilityOpinion: words.accountability,
          toleranceOpinion: words.tolerance,
          applicationAnswers,
          departureReason,
        }),
      };
    }, 'deliberated');

  const decisionWords = text.decisionText(outcome);
  const details = text.measureDetails(r, measures);
  const decide = (at: number) =>
    command(at, handler, 'case.decided', (rec) => {
      const version = run.decisions.length + 1;
      const decision: DecisionRow = {
        id: run.random.uuid(),
        case_id: id,
        version,
        source: 'original',
        outcome,
        reduction,
        measures,
        measure_details: details,
        tolerance_opinion: decisionWords.toleranceOpinion,
        tolerance_reasons: decisionWords.toleranceReasons,
        departure_reason: departs ? text.DEPARTURE_REASON : null,
        deliberation_id: deliberations.at(-1)!.id,
        approval_state: needsApproval ? 'pending' : 'not-required',
        approved_by: null,
        approved_at: null,
        approval_note: null,
        current: true,
        in_force: !needsApproval,
        decided_by: handler.id,
        decided_at: rec.now,
      };
      run.decisions.push(decision);
      run.row.decided_at = rec.now;
      if (!needsApproval) run.row.outcome = outcome;
      return {
        decisionId: decision.id,
        decisionVersion: version,
        outcome,
        reduction,
        measures,
        recommendation: assessment.recommendation,
        departs,
        requiresApproval: needsApproval,
        recordHash: recordDigest({ toleranceOpinion: decisionWords.toleranceOpinion, toleranceReasons: decisionWords.toleranceReasons, measureDetails: details, departureReason: departs ? text.DEPARTURE_REASON : null }),
      };
    }, needsApproval ? 'awaiting-approval' : 'decided');

  /** approveDecision, approving or returning the current decision. */
  const review = (at: number, approve: boolean, fromAppeal: boolean) =>
    command(at, staff.approver, approve ? 'case.decision-approved' : 'case.decision-returned', (rec) => {
      const decision = run.decisions.find((d) => d.current)!;
      const note = approve ? text.APPROVAL_NOTE : text.RETURN_NOTE;
      Object.assign(decision, { approved_by: staff.approver.id, approved_at: rec.now, approval_note: note });
      if (approve) {
        decision.approval_state = 'approved';
        decision.in_force = true;
        for (const other of run.decisions) if (other !== decision) other.in_force = false;
        if (fromAppeal) enterInOfficialFiles(rec, run, decision);
        run.row.outcome = decision.outcome;
      } else {
        decision.approval_state = 'returned';
        decision.current = false;
        run.row.decided_at = null;
      }
      return { decisionId: decision.id, decisionVersion: decision.version, fromAppeal };
    }, approve ? (fromAppeal ? 'appeal-decided' : 'decided') : 'deliberated');

  day += gap(r, 2, 10);
  deliberate(day);
  day += gap(r, 2, 6);
  decide(day);
  if (needsApproval) {
    if (returned) {
      day += gap(r, 3, 12);
      review(day, false, false);
      day += gap(r, 5, 15);
      deliberate(day);
      day += gap(r, 2, 5);
      decide(day);
    }
    day += gap(r, 2, 12);
    review(day, true, false);
  }
  const inForceDay = day;

  // ---- service (Art. 15): explanations, file entries, follow-up visits scheduled ----
  day += gap(r, 2, 10);
  const serveDay = day;
  const visits: Record<string, Cell>[] = [];
  command(day, handler, 'case.served', (rec) => {
    const decision = run.decisions.find((d) => d.current)!;
    const words = text.serviceText(decision.outcome);
    const serviceId = run.random.uuid();
    rec.write('services', {
      id: serviceId,
      case_id: id,
      decision_id: decision.id,
      served_at: rec.now,
      explanation_to_official: words.toOfficial,
      party_org_id: official.unit.org.id,
      explanation_to_party_org: words.toPartyOrg,
      recorded_by: handler.id,
      recorded_at: rec.now,
    });
    run.service = { id: serviceId, decisionId: decision.id };
    const fileEntries = enterInOfficialFiles(rec, run, decision);
    const scheduled = decision.in_force && (VISITED_OUTCOMES as readonly string[]).includes(decision.outcome) ? DEFAULT_FOLLOWUP_SETTINGS.visitOffsetsMonths : [];
    const servedOn = beijingDay(rec.now);
    for (const offset of [...scheduled].sort((a, b) => a - b)) {
      const visit = { id: run.random.uuid(), official_id: official.id, case_id: id, kind: 'visit', offset_months: offset, due_on: addMonthsToDay(servedOn, offset), scheduled_at: rec.now, done_at: null, record: null, done_by: null };
      visits.push(visit);
      run.mutable.push({ table: 'followup_visits', row: visit });
    }
    const deadline = isAppealable(decision.outcome, decision.measures) ? addMonths(rec.now, DEFAULT_SETTINGS.appealWindowMonths) : null;
    run.row.served_at = rec.now;
    run.row.appeal_deadline = deadline;
    return {
      serviceId,
      decisionId: decision.id,
      fileEntries,
      visits: visits.map((v) => ({ id: v.id, offsetMonths: v.offset_months, dueOn: v.due_on })),
      appealDeadline: deadline?.toISOString() ?? null,
      recordHash: recordDigest({ explanationToOfficial: words.toOfficial, explanationToPartyOrg: words.toPartyOrg }),
    };
  }, 'served');

  // ---- appeal (Art. 16, R10) ----
  if (appeal) {
    day += gap(r, 3, 25);
    const grounds = text.appealGrounds(r);
    command(day, officialAccount, 'case.appeal-lodged', (rec) => {
      const decision = run.decisions.find((d) => d.current)!;
      const dueAt = addMonths(rec.now, DEFAULT_SETTINGS.appealHandlingMonths);
      run.appeal = { id: run.random.uuid(), case_id: id, decision_id: decision.id, grounds, lodged_by: officialAccount.id, lodged_at: rec.now, due_at: dueAt, outcome: null, reasons: null, decided_by: null, decided_at: null, new_decision_id: null };
      return { appealId: run.appeal.id, decisionId: decision.id, dueAt: dueAt.toISOString(), recordHash: recordDigest({ grounds }) };
    }, 'under-appeal');
    // A changed decision keeps the outcome and lightens the measures: the assessment behind it has not changed.
    const changedMeasures: AccountabilityMeasure[] = outcome === 'exempt' ? [] : [r.pick(['admonishment', 'circulated-criticism'] as const)];
    const changeNeedsApproval = appealOutcome === 'changed' && requiresApproval(changedMeasures, official.rank, DEFAULT_SETTINGS);
    day += gap(r, 10, 35);
    command(day, reviewer, 'case.appeal-decided', (rec) => {
      const original = run.decisions.find((d) => d.current)!;
      const appealRow = run.appeal!;
      const reasons = text.appealReasons(appealOutcome);
      const revoked = appealOutcome === 'revoked';
      const change =
        appealOutcome === 'changed'
          ? { outcome, reduction, measures: changedMeasures, measureDetails: text.measureDetails(run.random, changedMeasures), toleranceOpinion: original.tolerance_opinion, toleranceReasons: original.tolerance_reasons, departureReason: original.departure_reason }
          : undefined;
      const next = change ?? { outcome: original.outcome, reduction: original.reduction, measures: original.measures, measureDetails: original.measure_details, departureReason: original.departure_reason };
      original.current = false;
      original.in_force = changeNeedsApproval;
      const decision: DecisionRow = {
        id: run.random.uuid(),
        case_id: id,
        version: original.version + 1,
        source: 'appeal',
        outcome: revoked ? 'revoked' : next.outcome,
        reduction: !revoked && next.outcome === 'reduced' ? next.reduction : null,
        measures: revoked ? [] : [...next.measures],
        measure_details: revoked ? '' : next.measureDetails,
        tolerance_opinion: original.tolerance_opinion,
        tolerance_reasons: original.tolerance_reasons,
        departure_reason: next.departureReason,
        deliberation_id: original.deliberation_id,
        approval_state: changeNeedsApproval ? 'pending' : 'not-required',
        approved_by: null,
        approved_at: null,
        approval_note: null,
        current: true,
        in_force: !changeNeedsApproval,
        decided_by: reviewer.id,
        decided_at: rec.now,
      };
      run.decisions.push(decision);
      if (!changeNeedsApproval) {
        enterInOfficialFiles(rec, run, decision);
        run.row.outcome = decision.outcome;
      }
      Object.assign(appealRow, { outcome: appealOutcome, reasons, decided_by: reviewer.id, decided_at: rec.now, new_decision_id: decision.id });
      return {
        appealId: appealRow.id,
        outcome: appealOutcome,
        previousDecisionId: original.id,
        decisionId: decision.id,
        decisionVersion: decision.version,
        decisionOutcome: decision.outcome,
        requiresApproval: changeNeedsApproval,
        overdue: rec.now > (appealRow.due_at as Date),
        recordHash: recordDigest({ reasons, change: change ?? null }),
      };
    }, changeNeedsApproval ? 'awaiting-approval' : 'appeal-decided');
    if (changeNeedsApproval) {
      day += gap(r, 3, 10);
      review(day, true, true);
    }
    day += gap(r, 5, 40);
  } else {
    // Closing waits for the appeal window (R10) when the decision could be appealed.
    day += appealable ? 32 + r.between(1, 40) : gap(r, 3, 40);
  }

  // ---- closing (R8): the missing documents issued, the case file sealed ----
  command(day, handler, 'case.closed', (rec) => {
    run.row.state = 'closed';
    run.row.closed_at = rec.now;
    const manifestSha256 = closeAndSeal(rec, run, world);
    return { manifestSha256 };
  }, 'closed');

  // ---- after the decision: rectification (Art. 18) and follow-up visits (Art. 19(3)) ----
  planRectification(calendar, run, inForceDay + r.between(5, 30), outcome);
  recordVisits(calendar, run, visits, serveDay);

  // ---- place the story so that the dataset's now finds it in its target state ----
  const nowMinute = beijingMinute(world.asOf);
  const nowDay = beijingDayNumber(world.asOf);
  const candidates = calendar.daysIn(target, nowMinute);
  if (candidates.length === 0) throw new Error(`case ${index}: its story never stands in ${target}`);
  let storyDay: number;
  if (target === 'closed') {
    // Closed any time between the first day and now: the story may start as early as the first day allows.
    const earliest = candidates[0]!;
    const latest = Math.max(earliest, nowDay - world.firstDay);
    storyDay = r.between(earliest, latest);
  } else {
    storyDay = r.pick(candidates);
  }
  const steps = calendar.place(nowDay - storyDay).filter((step) => step.at <= world.asOf);
  return {
    index,
    id,
    target,
    openedAt: steps[0]!.at,
    steps,
    finish(rec) {
      if (run.row.state !== target) throw new Error(`case ${index} ended in ${run.row.state}, planned ${target}`);
      rec.write('cases', run.row);
      for (const decision of run.decisions) rec.write('decisions', decision);
      if (run.appeal) rec.write('appeals', run.appeal);
      for (const { table, row } of run.mutable) rec.write(table, row as never);
    },
  };
}

/**
 * Reads of the case page recorded as the access-audit plugin records them (`case.read`, route and object ids, the
 * user's grants, the client's address and the request id; never content). In production reads are most of the
 * audit trail; here only the visits that precede a step are written, about one step in five.
 */
const READ_SHARE = 0.2;

function caseRead(rec: Recorder, account: Account, caseId: string): Record<string, unknown> {
  // Each user works from one office address, derived from their id.
  const octet = (i: number) => parseInt(account.id.slice(i, i + 2), 16);
  return {
    route: 'GET /api/v1/cases/:caseId',
    outcome: 'success',
    status: 200,
    objects: { caseId },
    filters: [],
    roles: account.roles.map((g) => `${g.role}@${g.organizationId}`),
    clientAddress: `10.${octet(0)}.${octet(2)}.${octet(4)}`,
    requestId: rec.requestId(),
  };
}

function chooseMeasures(r: Random, outcome: Outcome, needApproval: boolean): AccountabilityMeasure[] {
  if (outcome === 'exempt') return r.weighted({ none: 40, education: 35, examination: 20, both: 5 }) === 'none' ? [] : [r.pick(['criticism-education', 'ordered-self-examination'] as const)];
  const weights =
    outcome === 'reduced'
      ? { 'circulated-criticism': 30, admonishment: 35, 'organizational-adjustment': 15, 'disciplinary-sanction': 20 }
      : { 'circulated-criticism': 20, admonishment: 30, 'organizational-adjustment': 20, 'disciplinary-sanction': 30 };
  const measures = new Set<AccountabilityMeasure>([r.weighted(weights)]);
  if (r.chance(0.2)) measures.add(r.weighted(weights));
  if (r.chance(0.15)) measures.add('ordered-self-examination');
  if (needApproval && !measures.has('organizational-adjustment') && !measures.has('disciplinary-sanction')) measures.add('disciplinary-sanction');
  return [...measures];
}

/** enterInOfficialFiles (load-case-facts.ts): the personnel file and the integrity file, at service and when a new version takes effect. */
function enterInOfficialFiles(rec: Recorder, run: CaseRun, decision: DecisionRow): string[] {
  const kinds = ['personnel', 'integrity'];
  const summary = `${OUTCOMES[decision.outcome as keyof typeof OUTCOMES] ?? decision.outcome}（决定第 ${decision.version} 版）`;
  for (const fileKind of kinds) {
    rec.write('file_entries', { id: run.random.uuid(), official_id: run.official.id, case_id: run.id, decision_id: decision.id, file_kind: fileKind, summary, entered_at: rec.now });
  }
  return kinds;
}

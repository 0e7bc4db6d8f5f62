/** The shapes the API returns (see /api/openapi.json). */
export interface RoleGrant {
  role: string;
  organizationId: string;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  officialId: string | null;
  roles: RoleGrant[];
}

export interface Ability {
  allowed: boolean;
  reason?: string;
  code?: string;
  rule?: string;
  article?: string;
}

export type CaseAction =
  | 'recordEvidence'
  | 'recordOpinion'
  | 'recordStatement'
  | 'submitApplication'
  | 'markProfessional'
  | 'inviteExpert'
  | 'recordExpertOpinion'
  | 'recordAssessment'
  | 'recordDeliberation'
  | 'decide'
  | 'approveDecision'
  | 'serve'
  | 'lodgeAppeal'
  | 'decideAppeal'
  | 'close';

export type Abilities = Record<CaseAction, Ability>;

export interface CaseSummary {
  id: string;
  title: string;
  state: string;
  stateLabel: string;
  outcome: string | null;
  openedAt: string;
  version: number;
  organ: { id: string; name: string };
  official: { id: string; name: string; position: string };
}

export interface CaseList {
  data: CaseSummary[];
  total: number;
  /** More cases than `total` (the server counts up to a cap): shown as 「1000+」. */
  totalCapped?: boolean;
  nextCursor: string | null;
}

export interface TraceEntry {
  step: string;
  article: string;
  text: string;
  effect: string;
  subject?: string;
  value?: string;
  count?: number;
  note: string;
}

export interface AssessmentResult {
  policy: { id: string; version: string; title: string };
  recommendation: 'exempt' | 'reduced' | 'not_tolerated';
  binding: boolean;
  complete: boolean;
  missing: string[];
  excludedBy: string[];
  situations: string[];
  favourable: string[];
  unfavourable: string[];
  decisive: string[];
  offset: string[];
  warnings: { code: string; message: string }[];
  trace: TraceEntry[];
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
  approvalNote: string | null;
  current: boolean;
  inForce: boolean;
  decidedAt: string;
}

export interface CaseView {
  id: string;
  title: string;
  state: string;
  stateLabel: string;
  outcome: string | null;
  professional: boolean;
  /** 1 普通, 2 敏感, 3 核心: only users cleared for it see the case. */
  sensitivity: number;
  sensitivityEditable: boolean;
  policy: { id: string; version: string };
  openedAt: string;
  decidedAt: string | null;
  servedAt: string | null;
  appealDeadline: string | null;
  closedAt: string | null;
  version: number;
  organ: { id: string; name: string };
  official: { id: string; name: string; position: string; rank: string; organization: { id: string; name: string }; identifiers: MaskedIdentifiers | null };
  description: string | null;
  opinions: { id: string; kind: string; source: string; content: string; recordedAt: string }[];
  applications: { id: string; applicantKind: string; content: string; submittedAt: string; answer: string | null }[];
  expertInvitations: { id: string; expertId: string; expertName: string; question: string; evidenceIds: string[]; invitedAt: string; answered: boolean }[];
  assessment: { id: string; input: Record<string, unknown>; output: AssessmentResult; policy: { id: string; version: string }; note: string; recordedAt: string } | null;
  deliberations: {
    id: string;
    heldOn: string;
    memberCount: number;
    membersPresent: string[];
    memberOpinions: { memberId: string; opinion: string; comment: string }[];
    accountabilityOpinion: string;
    toleranceOpinion: string;
    proposedOutcome: string;
    applicationAnswers: { applicationId: string; answer: string }[];
    departureReason: string | null;
    recordedAt: string;
  }[];
  decisions: DecisionView[];
  services: { id: string; decisionId: string; servedAt: string; explanationToOfficial: string | null; explanationToPartyOrg: string | null }[];
  appeals: { id: string; decisionId: string; grounds: string; lodgedAt: string; dueAt: string; outcome: string | null; reasons: string | null; decidedAt: string | null; newDecisionId: string | null }[];
}

export interface CaseResponse {
  data: CaseView;
  abilities: Abilities;
}

export interface CommandResult {
  data: Record<string, unknown>;
  version: number;
  abilities: Abilities;
}

export interface TimelineEvent {
  seq: string;
  at: string;
  type: string;
  actor: string;
}

export interface EvidenceItem {
  id: string;
  title: string;
  description: string;
  kind: string;
  recordedAt: string;
  attachments: EvidenceAttachment[];
}

/** An attachment as listed: above the reader's clearance only its label (sensitivity) shows. */
export type EvidenceAttachment =
  | { id: string; sha256: string; filename: string; mediaType: string; size: number; sensitivity: number; aboveClearance: false }
  | { id: string; sha256: null; filename: null; mediaType: null; size: null; sensitivity: number; aboveClearance: true };

// ---- the case page ----

/** One article of a policy pack, verbatim (GET /api/v1/policies/:id). */
export interface PolicyArticle {
  number: string;
  lead: string;
  items: { number: string; text: string }[];
  rest: string[];
  text: string;
}

export interface PolicyFactorValue {
  id: string;
  pole: 'favourable' | 'unfavourable';
  decisive: boolean;
  words: string;
  article: string;
  basis?: { article: string; text: string };
  guidance?: string;
}

export interface PolicyFactor {
  id: string;
  dimension: string;
  article: string;
  values: PolicyFactorValue[];
}

/** The policy pack: the assessment form is rendered from it, never hard-coded. */
export interface PolicyPack {
  id: string;
  version: string;
  title: string;
  issuer: string;
  effectiveFrom: string;
  articles: PolicyArticle[];
  nouns: { situation: string; exclusion: string; factor: string };
  outcomes: Record<string, { id: string; label: string; article: string; text: string }>;
  situations: { id: string; article: string; text: string }[];
  exclusions: { id: string; article: string; text: string }[];
  dimensions: { id: string; name: string; article: string }[];
  factors: PolicyFactor[];
  groups: { id: string; members: string[]; article: string; text: string }[];
  guidance: Record<string, { step?: string; article?: string; text?: string } & Record<string, unknown>>;
}

/** The engine's input (POST /api/v1/assess, and the assessment's `input`). */
export interface AssessmentInput {
  policy?: string;
  situations: string[];
  exclusions?: Record<string, boolean | null>;
  factors?: Record<string, string | null>;
}

export interface CaseParticipants {
  members: { id: string; displayName: string }[];
  experts: { id: string; displayName: string }[];
}

// ---- documents (Art. 13–16) and their templates ----

/** One version of an issued document (GET /api/v1/cases/:id/documents). */
export interface CaseDocument {
  id: string;
  kind: string;
  title: string;
  version: number;
  /** The 文号; null for a kind that is not numbered (送达回证). Every version of a kind keeps the first one's. */
  number: string | null;
  generatedAt: string;
  sha256: string;
  hasPdf: boolean;
  latest: boolean;
}

export interface CaseDocuments {
  data: CaseDocument[];
  canIssue: boolean;
  /** The kinds the organ issues (only a handler of the deciding organ gets them). */
  kinds: { kind: string; title: string; article: string }[];
}

/** A field a template may use: a name (lists' items as `list[].item`), with what it holds when the API says. */
export type TemplateField = string | { name: string; description?: string };

export interface DocumentTemplateKind {
  kind: string;
  title: string;
  fields: TemplateField[];
  uploads: { id: string; organId: string; filename: string; uploadedAt: string }[];
}

// ---- rectification (整改) and follow-up (回访与研判) ----

export interface RectificationItem {
  id: string;
  position: number;
  title: string;
  owner: { kind: 'official' | 'unit'; id: string; name: string };
  deadline: string;
  mechanism: string;
  status: 'open' | 'reported' | 'done' | 'returned';
  overdue: boolean;
  doneAt: string | null;
  reports: { id: string; content: string; attachments: string[]; reportedBy: string; reportedAt: string }[];
  checks: { id: string; reportId: string; accepted: boolean; note: string; checkedBy: string; checkedAt: string }[];
  reminders: { id: string; deadline: string; raisedAt: string }[];
}

export interface RectificationPlan {
  id: string;
  caseId: string | null;
  unitId: string | null;
  /** The unit a unit plan is for (null for a case's plan). */
  unitName: string | null;
  organId: string;
  /** The organ that made the plan and whose supervisors check it. */
  organName: string;
  title: string;
  description: string;
  version: number;
  createdAt: string;
  items: RectificationItem[];
  poorRecords: { id: string; newCaseId: string; officialId: string; finding: string; itemIds: string[]; recordedAt: string }[];
  abilities: { addItems: boolean; check: boolean; recordPoorRectification: boolean };
}

export interface CaseRectification {
  plan: RectificationPlan | null;
  linkedCases: { id: string; title: string }[];
  mayCreatePlan: boolean;
}

export interface PlanCommandResult {
  data: Record<string, unknown>;
  version: number;
  plan: RectificationPlan;
}

/** GET /api/v1/rectification/plans: one plan of the list, with its progress. */
export interface RectificationPlanSummary {
  id: string;
  caseId: string | null;
  unitId: string | null;
  unitName: string | null;
  organId: string;
  organName: string;
  title: string;
  version: number;
  createdAt: string;
  items: number;
  done: number;
  /** Reported and waiting for the supervisors' check. */
  reported: number;
  overdue: number;
  /** The earliest deadline among the items not yet done. */
  nextDeadline: string | null;
}

/** GET /api/v1/rectification/units: a unit the handler may make a rectification plan for. */
export interface RectificationUnit {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string | null;
  type: string;
}

/** POST /api/v1/rectification/items/:itemId/attachments: a file in the store, referenced by its SHA-256. */
export interface UploadedAttachment {
  sha256: string;
  size: number;
  mediaType: string;
  filename: string;
}

export interface RectificationReminder {
  id: string;
  itemId: string;
  itemTitle: string;
  planId: string;
  caseId: string | null;
  deadline: string;
  raisedAt: string;
  toMe: boolean;
}

export interface OfficialRef {
  id: string;
  name: string;
  position: string;
}

export interface DueVisits {
  week: { start: string; end: string };
  items: { id: string; official: OfficialRef; caseId: string | null; kind: string; dueOn: string; overdue: boolean }[];
}

export interface DueAssessments {
  asOf: string;
  items: { basis: string; official: OfficialRef; caseId: string; penalty: { id: string; label: string; until: string } | null; dueOn: string }[];
}

export interface PenaltyPeriods {
  statutory: { system: string; kind: string; label: string; months: number; addsTerm: boolean; source: string }[];
  organDefaults: { kind: string; label: string; months: number; source: string }[];
}

export interface SelectionCheck {
  officialId: string;
  purpose: string;
  asOf: string;
  restricted: boolean;
  reasons: { kind: 'penalty'; label: string; from: string; until: string; source: string }[];
  identifiers: MaskedIdentifiers;
}

/** An official's identifiers as responses carry them: masked; `revealable` when this user may ask for the plaintext. */
export interface MaskedIdentifiers {
  idNumber: string | null;
  phone: string | null;
  revealable: boolean;
}

export type IdentifierKind = 'idNumber' | 'phone';

/** PUT /api/v1/officials/:officialId/identifiers: the identifiers as now recorded, masked (audited without values). */
export interface IdentifiersSet {
  officialId: string;
  identifiers: MaskedIdentifiers;
}

/** POST /api/v1/officials/:officialId/identifiers/reveal (audited; never cached). */
export interface RevealedIdentifier {
  officialId: string;
  identifier: IdentifierKind;
  plaintext: string;
}

export interface OrganizationRef {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string | null;
  type: string;
}

export interface ConfiguredPenaltyPeriod {
  organId: string;
  organName: string;
  kind: string;
  label: string;
  months: number;
  source: string;
  setAt: string;
}

/** GET /api/v1/followup/periods: the periods plus those the caller's organs configured for other measures. */
export interface PenaltyPeriodsWithConfigured extends PenaltyPeriods {
  configured: ConfiguredPenaltyPeriod[];
}

/** One follow-up of a prevention reminder (预防提醒, Art. 19(1)). */
export interface ReminderFollowUp {
  id: string;
  followedUpOn: string;
  record: string;
  resolved: boolean;
  nextFollowUpOn: string | null;
  recordedBy: string;
  recordedAt: string;
}

/** GET /api/v1/followup/reminders: the reminders of the officials in the caller's follow-up jurisdiction. */
export interface PreventionReminders {
  asOf: string;
  items: {
    id: string;
    official: OfficialRef;
    kind: string;
    givenOn: string;
    problem: string;
    followUp: string;
    followUpOn: string | null;
    overdue: boolean;
    resolved: boolean;
    followUps: ReminderFollowUp[];
  }[];
}

/** GET /api/v1/sharing/recipients: the organs a conclusion about the official may be shared with. */
export interface SharingRecipients {
  from: { id: string; name: string };
  items: { id: string; name: string; shortName: string | null; type: string }[];
}

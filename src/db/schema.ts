import type { ColumnType, Generated } from 'kysely';

/** The tables as the application sees them (kysely's types); the SQL in migrations/ is the source of truth. */
export interface Database {
  organizations: OrganizationsTable;
  officials: OfficialsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  cases: CasesTable;
  events: EventsTable;
  chain_head: ChainHeadTable;
  files: FilesTable;
  evidence: EvidenceTable;
  evidence_attachments: EvidenceAttachmentsTable;
  opinions: OpinionsTable;
  applications: ApplicationsTable;
  expert_invitations: ExpertInvitationsTable;
  assessments: AssessmentsTable;
  deliberations: DeliberationsTable;
  decisions: DecisionsTable;
  services: ServicesTable;
  file_entries: FileEntriesTable;
  appeals: AppealsTable;
  document_templates: DocumentTemplatesTable;
  document_numbers: DocumentNumbersTable;
  documents: DocumentsTable;
  case_files: CaseFilesTable;
  // 0005 rectification (Art. 18)
  rectification_plans: RectificationPlansTable;
  rectification_items: RectificationItemsTable;
  rectification_reports: RectificationReportsTable;
  rectification_report_attachments: RectificationReportAttachmentsTable;
  rectification_checks: RectificationChecksTable;
  rectification_reminders: RectificationRemindersTable;
  rectification_poor_records: RectificationPoorRecordsTable;
  case_established_exclusions: CaseEstablishedExclusionsTable;
  // 0006 follow-up, penalties, assessments, reminders (Art. 17, 19)
  followup_visits: FollowupVisitsTable;
  penalties: PenaltiesTable;
  penalty_period_settings: PenaltyPeriodSettingsTable;
  comprehensive_assessments: ComprehensiveAssessmentsTable;
  prevention_reminders: PreventionRemindersTable;
  // 0007 typical cases (Art. 20 ¶4)
  typical_cases: TypicalCasesTable;
  // 0008 information sharing and notifications (Art. 19(2))
  shared_conclusions: SharedConclusionsTable;
  organ_smtp_settings: OrganSmtpSettingsTable;
  notifications_sent: NotificationsSentTable;
  // 0009 follow-ups of prevention reminders (Art. 19(1))
  reminder_follow_ups: ReminderFollowUpsTable;
  // 0013 separation of duties, labels, audit retention
  audit_retention: AuditRetentionTable;
  // 0010 identity: two factors, password history (等保 8.1.4.1)
  password_history: PasswordHistoryTable;
  user_totp: UserTotpTable;
  recovery_codes: RecoveryCodesTable;
  user_sm2_keys: UserSm2KeysTable;
  // 0012 personal identifiers: no new table — officials gain their sealed and masked identifiers
  // (OfficialsTable), typical_cases the authors a second person must differ from (TypicalCasesTable).
}

type Json<T = unknown> = ColumnType<T, string, string>;

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface OrganizationsTable {
  id: Generated<string>;
  parent_id: string | null;
  name: string;
  short_name: string | null;
  type: string;
  created_at: CreatedAt;
}

export interface OfficialsTable {
  id: Generated<string>;
  name: string;
  organization_id: string;
  position: string;
  rank: string;
  category: string;
  managing_org_id: string;
  created_at: CreatedAt;
  /** 0012: the 公民身份号码, sealed (envelope bound to `official:<id>:id-number`); only the audited reveal opens it. */
  id_number_sealed: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  /** 0012: what screens show, e.g. 110101********1234. */
  id_number_masked: ColumnType<string | null, string | null | undefined, string | null>;
  /** 0012: the mobile phone, sealed (envelope bound to `official:<id>:phone`). */
  phone_sealed: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  /** 0012: what screens show, e.g. 138****5678. */
  phone_masked: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  password_hash: string;
  display_name: string;
  official_id: string | null;
  /** 0008: where the e-mail digest of due items goes. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  disabled_at: Date | null;
  created_at: CreatedAt;
  /** 0010: when the holder last chose their password; null when someone else set it (must change at sign-in). */
  password_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** 0010: the account ends at this moment (temporary experts). */
  expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** 0010: failures in a row since the last full sign-in; five lock the account. */
  failed_sign_ins: Generated<number>;
  /** 0010: locked until then after five failures. */
  locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** 0013: clearance, 1 普通 2 敏感 3 核心 (a user sees what their clearance reaches). */
  clearance: Generated<number>;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
  organization_id: string;
}

export interface SessionsTable {
  token_hash: Buffer;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  /** 0010: when the second factor was proven; null for a pending session (it may only finish signing in). */
  second_factor_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** 0010: the pending session's outstanding SM2 challenge, cleared when answered. */
  sm2_challenge: ColumnType<string | null, string | null | undefined, string | null>;
  sm2_challenge_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface CasesTable {
  id: Generated<string>;
  official_id: string;
  organ_id: string;
  title: string;
  description: string;
  state: string;
  policy_id: string;
  policy_version: string;
  opened_by: string;
  opened_at: Date;
  updated_at: Date;
  version: Generated<number>;
  professional: Generated<boolean>;
  outcome: string | null;
  decided_at: Date | null;
  served_at: Date | null;
  appeal_deadline: Date | null;
  closed_at: Date | null;
  /** 0013: sensitivity label, 1 普通 2 敏感 3 核心. */
  sensitivity: Generated<number>;
}

export interface EventsTable {
  seq: string; // bigint: pg returns it as a string; we keep it exact
  at: Date;
  actor: string;
  case_id: string | null;
  type: string;
  payload: ColumnType<unknown, string, never>;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface ChainHeadTable {
  singleton: Generated<boolean>;
  seq: string;
  hash: Buffer;
  /** 0011: the chain's hash function, chosen from the crypto provider while the chain is empty. */
  algorithm: 'sha256' | 'sm3';
}

export interface FilesTable {
  sha256: string;
  size: string;
  media_type: string;
  stored_at: Date;
}

export interface EvidenceTable {
  id: Generated<string>;
  case_id: string;
  title: string;
  description: string;
  kind: string;
  recorded_by: string;
  recorded_at: Date;
}

export interface EvidenceAttachmentsTable {
  id: Generated<string>;
  evidence_id: string;
  file_sha256: string;
  filename: string;
  media_type: string;
  size: string;
  /** 0013: sensitivity label, 1 普通 2 敏感 3 核心. */
  sensitivity: Generated<number>;
}

export interface OpinionsTable {
  id: Generated<string>;
  case_id: string;
  kind: string;
  source: string;
  content: string;
  recorded_by: string;
  recorded_at: Date;
}

export interface ApplicationsTable {
  id: Generated<string>;
  case_id: string;
  applicant_kind: string;
  applicant_id: string;
  party_org_id: string | null;
  content: string;
  submitted_at: Date;
}

export interface ExpertInvitationsTable {
  id: Generated<string>;
  case_id: string;
  expert_id: string;
  question: string;
  evidence_ids: string[];
  invited_by: string;
  invited_at: Date;
  opinion_id: string | null;
}

export interface AssessmentsTable {
  id: Generated<string>;
  case_id: string;
  input: Json;
  engine_output: Json;
  policy_id: string;
  policy_version: string;
  note: string;
  recorded_by: string;
  recorded_at: Date;
  position: Generated<string>;
}

export interface MemberOpinion {
  memberId: string;
  opinion: 'exempt' | 'reduced' | 'not_tolerated';
  comment: string;
}

export interface ApplicationAnswer {
  applicationId: string;
  answer: string;
}

export interface DeliberationsTable {
  id: Generated<string>;
  case_id: string;
  held_on: string;
  member_count: number;
  members_present: string[];
  member_opinions: Json<MemberOpinion[]>;
  accountability_opinion: string;
  tolerance_opinion: string;
  proposed_outcome: string;
  application_answers: Json<ApplicationAnswer[]>;
  assessment_id: string;
  departure_reason: string | null;
  recorded_by: string;
  recorded_at: Date;
  position: Generated<string>;
}

export interface DecisionsTable {
  id: Generated<string>;
  case_id: string;
  version: number;
  source: string;
  outcome: string;
  reduction: string | null;
  measures: string[];
  measure_details: string;
  tolerance_opinion: string;
  tolerance_reasons: string;
  departure_reason: string | null;
  deliberation_id: string | null;
  approval_state: string;
  approved_by: string | null;
  approved_at: Date | null;
  approval_note: string | null;
  current: boolean;
  in_force: boolean;
  decided_by: string;
  decided_at: Date;
}

export interface ServicesTable {
  id: Generated<string>;
  case_id: string;
  decision_id: string;
  served_at: Date;
  explanation_to_official: string;
  party_org_id: string;
  explanation_to_party_org: string;
  recorded_by: string;
  recorded_at: Date;
}

export interface FileEntriesTable {
  id: Generated<string>;
  official_id: string;
  case_id: string;
  decision_id: string;
  file_kind: string;
  summary: string;
  entered_at: Date;
}

export interface AppealsTable {
  id: Generated<string>;
  case_id: string;
  decision_id: string;
  grounds: string;
  lodged_by: string;
  lodged_at: Date;
  due_at: Date;
  outcome: string | null;
  reasons: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  new_decision_id: string | null;
}

export interface DocumentTemplatesTable {
  id: Generated<string>;
  organ_id: string;
  kind: string;
  file_sha256: string;
  filename: string;
  uploaded_by: string;
  uploaded_at: Date;
}

export interface DocumentNumbersTable {
  organ_id: string;
  year: number;
  last: number;
}

export interface DocumentsTable {
  id: Generated<string>;
  case_id: string;
  kind: string;
  version: number;
  number: string | null;
  decision_id: string | null;
  file_sha256: string;
  pdf_sha256: string | null;
  template_sha256: string;
  generated_by: string;
  generated_at: Date;
}

export interface CaseFilesTable {
  case_id: string;
  manifest: string;
  manifest_sha256: string;
  sealed_by: string;
  sealed_at: Date;
}


export interface RectificationPlansTable {
  id: Generated<string>;
  case_id: string | null;
  unit_id: string | null;
  organ_id: string;
  title: string;
  description: string;
  version: Generated<number>;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface RectificationItemsTable {
  id: Generated<string>;
  plan_id: string;
  title: string;
  owner_official_id: string | null;
  owner_unit_id: string | null;
  /** A date (YYYY-MM-DD); connect.ts makes pg return dates as strings. */
  deadline: string;
  mechanism: string;
  status: Generated<string>;
  position: number;
  added_by: string;
  added_at: Date;
  done_at: Date | null;
}

export interface RectificationReportsTable {
  id: Generated<string>;
  item_id: string;
  content: string;
  reported_by: string;
  reported_at: Date;
}

export interface RectificationReportAttachmentsTable {
  report_id: string;
  file_sha256: string;
}

export interface RectificationChecksTable {
  id: Generated<string>;
  item_id: string;
  report_id: string;
  accepted: boolean;
  note: string;
  checked_by: string;
  checked_at: Date;
}

export interface RectificationRemindersTable {
  id: Generated<string>;
  item_id: string;
  deadline: string;
  raised_at: Date;
  recipients: string[];
}

export interface RectificationPoorRecordsTable {
  id: Generated<string>;
  plan_id: string;
  source_case_id: string | null;
  new_case_id: string;
  official_id: string;
  finding: string;
  item_ids: string[];
  recorded_by: string;
  recorded_at: Date;
}

export interface CaseEstablishedExclusionsTable {
  case_id: string;
  exclusion: string;
  value: boolean;
  basis: string;
  poor_record_id: string | null;
  established_at: Date;
}


export interface FollowupVisitsTable {
  id: Generated<string>;
  official_id: string;
  case_id: string | null;
  kind: string;
  offset_months: number | null;
  /** DATE as 'YYYY-MM-DD'. */
  due_on: string | null;
  scheduled_at: Date;
  done_at: Date | null;
  record: string | null;
  done_by: string | null;
}

export interface PenaltiesTable {
  id: Generated<string>;
  case_id: string;
  decision_id: string;
  official_id: string;
  system: string;
  kind: string;
  label: string;
  term_months: number | null;
  effective_from: string;
  period_months: number;
  effect_until: string;
  period_source: string;
  recorded_by: string;
  recorded_at: Date;
}

export interface PenaltyPeriodSettingsTable {
  organ_id: string;
  kind: string;
  label: string;
  months: number;
  source: string;
  set_by: string | null;
  set_at: Date;
}

export interface ComprehensiveAssessmentsTable {
  id: Generated<string>;
  official_id: string;
  basis: string;
  case_ids: ColumnType<string[], string[] | undefined, never>;
  penalty_id: string | null;
  due_on: string | null;
  nature: string;
  motive: string;
  degree: string;
  tolerance: string;
  usual_performance: string;
  performance_since: string;
  conclusion: string;
  note: Generated<string>;
  sent_to_org_id: string;
  recorded_by: string;
  recorded_at: Date;
}

export interface PreventionRemindersTable {
  id: Generated<string>;
  official_id: string;
  organ_id: string;
  kind: string;
  given_on: string;
  problem: string;
  follow_up: Generated<string>;
  follow_up_on: string | null;
  recorded_by: string;
  recorded_at: Date;
}


export interface TypicalCasesTable {
  id: Generated<string>;
  source_case_id: string;
  organ_id: string;
  title: string;
  body: string;
  status: string;
  flagged_terms: ColumnType<string[], string[] | undefined, string[]>;
  drafted_by: string;
  drafted_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  return_note: string | null;
  published_by: string | null;
  published_at: Date | null;
  version: Generated<number>;
  /** 0012: everyone who wrote the text (drafted or edited it); none of them may approve or publish it. */
  authors: ColumnType<string[], string[] | undefined, string[]>;
}


export interface SharedConclusionsTable {
  id: Generated<string>;
  official_id: string;
  kind: string;
  record_id: string;
  case_id: string | null;
  from_org_id: string;
  to_org_id: string;
  note: Generated<string>;
  shared_by: string;
  shared_at: Date;
}

export interface OrganSmtpSettingsTable {
  organ_id: string;
  host: string;
  port: number;
  secure: Generated<boolean>;
  from_address: string;
  username: string | null;
  /** 0015: the password, sealed (envelope bound to `organ:<organ id>:smtp-password`); only the mailer opens it. */
  password_sealed: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  /**
   * 0015: a password an earlier version stored in plaintext, until the server seals it at start. The database
   * refuses any new value here (only clearing it), and so do these types.
   */
  password_plaintext_legacy: ColumnType<string | null, never, null>;
  enabled: Generated<boolean>;
  updated_at: Date;
}

export interface NotificationsSentTable {
  user_id: string;
  /** DATE as 'YYYY-MM-DD'. */
  day: string;
  sent_at: Date;
  items: number;
}

export interface ReminderFollowUpsTable {
  id: Generated<string>;
  reminder_id: string;
  /** DATE as 'YYYY-MM-DD'. */
  followed_up_on: string;
  was_due_on: string | null;
  record: string;
  resolved: boolean;
  next_follow_up_on: string | null;
  recorded_by: string;
  recorded_at: Date;
}

// 0010 identity

export interface PasswordHistoryTable {
  /** bigint identity, as a string: the order of the changes. */
  seq: Generated<string>;
  user_id: string;
  password_hash: string;
  replaced_at: Date;
}

export interface UserTotpTable {
  user_id: string;
  /** Sealed by context.crypto.secrets with the user id as associated data. */
  secret_sealed: Buffer;
  created_at: Date;
  confirmed_at: Date | null;
  /** bigint: the last accepted time step, as a string (pg returns bigint as text). */
  last_step: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: Date;
  used_at: Date | null;
}

export interface UserSm2KeysTable {
  user_id: string;
  /** Uncompressed SM2 public point, lower-case hex ("04" + x + y). */
  public_key: string;
  registered_at: Date;
  registered_by: string;
}

// 0013

export interface AuditRetentionTable {
  singleton: Generated<boolean>;
  /** At least 184 (six months); only ever raised. */
  days: number;
  updated_at: Generated<Date>;
}

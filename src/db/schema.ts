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
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  password_hash: string;
  display_name: string;
  official_id: string | null;
  disabled_at: Date | null;
  created_at: CreatedAt;
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
  algorithm: string;
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

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
}

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

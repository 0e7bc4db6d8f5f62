/** Who is acting: the signed-in user with their roles, as every command and query receives it. */
export interface RoleGrant {
  role: string;
  organizationId: string;
}

export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  officialId: string | null;
  roles: RoleGrant[];
}

/** The actor as recorded in the audit chain. */
export const auditActor = (actor: Pick<Actor, 'userId'>): string => `user:${actor.userId}`;

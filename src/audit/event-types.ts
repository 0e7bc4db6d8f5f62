/**
 * The closed vocabulary of audit events. Stored events and verification depend on these exact strings:
 * add new types, never rename or remove one. Each line says when it fires.
 */
export const EVENT_TYPES = {
  'system.database-created': 'the schema was created in an empty database (first start)',
  'system.started': 'the server started and began accepting requests',
  'system.stopped': 'the server stopped cleanly (SIGTERM/SIGINT)',
  'user.created': 'an account was created (by seeding or by an administrator)',
  'user.signed-in': 'a user signed in with correct credentials',
  'user.sign-in-failed': 'a sign-in was refused (unknown user, wrong password or disabled account)',
  'user.signed-out': 'a user ended their session',
  'organization.created': 'an organization was added to the tree',
  'official.created': 'an official was registered under an organization and a managing organ',
  'policy.assessed': 'a user asked the policy engine for a recommendation outside a case',
} as const satisfies Record<string, string>;

export type EventType = keyof typeof EVENT_TYPES;

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_TYPES, value);
}

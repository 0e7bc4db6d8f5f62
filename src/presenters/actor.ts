import type { Actor } from '../access/actor.js';

/** The signed-in user as the API shows it to that user. */
export function presentActor(actor: Actor) {
  return {
    user: {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      officialId: actor.officialId,
      roles: actor.roles,
    },
  };
}

import type { CaseParticipants } from '../../api/types';

/** “徐海峰（东城区纪委监委集体研究成员）” → “徐海峰”. */
export const shortName = (displayName: string) => displayName.replace(/（.*）$/u, '');

/** A member's name by user id; a member no longer listed (e.g. disabled since) is still shown, by position. */
export function memberNamer(participants: CaseParticipants | undefined) {
  const names = new Map((participants?.members ?? []).map((m) => [m.id, m.displayName]));
  return (id: string, index?: number) => names.get(id) ?? `成员${index !== undefined ? index + 1 : ''}`;
}

import type { EventType } from './event-types.js';

/** The events a read route may declare (`config.audit.reads`); the access-audit plugin appends them. */
export const READ_EVENT_TYPES = ['case.read', 'case.attachment-downloaded', 'case.searched', 'person.searched', 'record.read', 'report.read', 'audit.read'] as const satisfies readonly EventType[];
export type ReadEventType = (typeof READ_EVENT_TYPES)[number];

/** Events that record who looked or was refused, not what happened to a case: kept out of the case's history. */
export const ACCESS_EVENT_TYPES: readonly EventType[] = [...READ_EVENT_TYPES, 'access.denied'];

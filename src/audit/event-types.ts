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
  'case.opened': 'an accountability case was opened; its tolerance examination starts with it (Art. 11, R1)',
  'case.evidence-recorded': 'an evidence item (with its attachments\' hashes) was added to a case',
  'case.opinion-recorded': 'an opinion was heard: the official\'s statement, a unit, society or an interested party (Art. 12)',
  'case.application-submitted': 'the official or their party organization submitted a written tolerance application (Art. 11 ¶2)',
  'case.marked-professional': 'a case was marked as involving a professional or technical question (Art. 12 ¶2)',
  'case.expert-invited': 'an expert was invited to give an opinion on a question of the case',
  'case.expert-opinion-recorded': 'an invited expert gave their opinion',
  'case.assessment-recorded': 'the Art. 8–10 assessment was recorded with a snapshot of the engine\'s output',
  'case.deliberation-recorded': 'the collective deliberation was recorded (Art. 13)',
  'case.decided': 'the decision was made (in force at once, or awaiting approval)',
  'case.decision-approved': 'the higher authority approved the decision, which is now in force (Art. 13 ¶2)',
  'case.decision-returned': 'the higher authority returned the decision; the case goes back to deliberation',
  'case.served': 'the decision was served and the tolerance outcome explained; file entries made (Art. 15)',
  'case.appeal-lodged': 'the official appealed the decision (Art. 16)',
  'case.appeal-decided': 'the appeal was decided (upheld, changed or revoked), making a new decision version',
  'case.closed': 'the case was closed',
  'audit.verified': 'someone verified the audit chain through the API',
  'case.document-generated': 'an official document was generated (or regenerated as a new version); carries its SHA-256',
  'case.file-sealed': 'the case file was sealed at closing; carries the SHA-256 of its manifest',
  'case.file-exported': 'someone exported the sealed case file (who took the file away, and when)',
  'case.document-downloaded': 'someone downloaded an official document of a case (.docx or PDF)',
  'rectification.plan-created': 'a rectification plan was made for a decided case or for a unit (Art. 18)',
  'rectification.item-added': 'a rectification item with its owner, deadline and long-term mechanism was added',
  'rectification.progress-reported': 'progress on a rectification item was reported (with attachments)',
  'rectification.item-checked': 'a supervising department checked a rectification item off (or sent it back)',
  'rectification.overdue': 'a rectification item passed its deadline unfinished; the supervisors were reminded',
  'rectification.poor-recorded': 'poor rectification was recorded and a linked accountability case opened (Art. 18 ¶2, Art. 10(4))',
  'visit.scheduled': 'follow-up visits were scheduled for an official after service (Art. 19(3))',
  'visit.recorded': 'a follow-up visit or heart-to-heart talk (谈心谈话) was recorded',
  'penalty.recorded': 'a penalty with its effect period (and the source of that period) was recorded for a decision',
  'comprehensive-assessment.recorded': 'a comprehensive assessment (综合研判) of an official was recorded and sent to the organization department (Art. 19(4))',
  'selection.queried': 'the organization department asked whether anything restricts an official in selection and appointment (Art. 17)',
  'prevention.reminder-recorded': 'an early reminder (预防提醒) or reminder talk was recorded for an official (Art. 19(1))',
  'typical.drafted': 'a de-identified typical case (典型案例) was drafted from a closed case (Art. 20 ¶4)',
  'typical.edited': 'a typical case draft was edited',
  'typical.submitted': 'a typical case draft was submitted to the publicity department',
  'typical.approved': 'the publicity department approved a typical case',
  'typical.returned': 'the publicity department returned a typical case draft for changes',
  'typical.published': 'a typical case was published on the public page',
  'sharing.shared': 'a conclusion was shared between the discipline commission and the organization department (Art. 19(2))',
  'template.uploaded': 'an organ uploaded its own template for a kind of document',
} as const satisfies Record<string, string>;

export type EventType = keyof typeof EVENT_TYPES;

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_TYPES, value);
}

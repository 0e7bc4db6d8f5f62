import { recordDigest } from '../audit/digest.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';

/** Opinions a handler records after hearing them (Art. 12); experts and the official use their own commands. */
export type HeardOpinionKind = 'statement' | 'unit' | 'interested-party' | 'society';

export interface RecordOpinionProps extends CaseCommandProps {
  kind: HeardOpinionKind;
  /** Who gave it: the official (for a statement heard), the unit's name, the interested party… */
  source: string;
  content: string;
}

/** Records an opinion heard during the investigation. A statement recorded here satisfies R3 as well. */
export function recordOpinion(props: RecordOpinionProps) {
  return runCaseCommand(props, 'recordOpinion', async ({ tx, actor, now }) => {
    const opinion = await tx
      .insertInto('opinions')
      .values({ case_id: props.caseId, kind: props.kind, source: props.source, content: props.content, recorded_by: actor.userId, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      result: { id: opinion.id },
      event: { type: 'case.opinion-recorded', payload: { opinionId: opinion.id, kind: props.kind, recordHash: recordDigest({ source: props.source, content: props.content }) } },
    };
  });
}

/** The official's own written statement (陈述、申辩), submitted by the official through the product. */
export function recordStatement(props: CaseCommandProps & { content: string }) {
  return runCaseCommand(props, 'recordStatement', async ({ tx, actor, now }) => {
    const opinion = await tx
      .insertInto('opinions')
      .values({ case_id: props.caseId, kind: 'statement', source: actor.displayName, content: props.content, recorded_by: actor.userId, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      result: { id: opinion.id },
      event: { type: 'case.opinion-recorded', payload: { opinionId: opinion.id, kind: 'statement', byOfficial: true, recordHash: recordDigest({ content: props.content }) } },
    };
  });
}

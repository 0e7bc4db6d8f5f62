import type { PolicyFactor, PolicyFactorValue, PolicyPack } from '../../../api/types';

/**
 * Names for what the engine reports by id, taken from the pack's own words: the form, the live recommendation
 * and the recorded assessment all speak the text of the measures, never a label typed into the UI.
 */

/** A value whose words are the question itself (e.g. “是否经过民主决策程序”) is the negative answer to it. */
const isQuestion = (value: PolicyFactorValue) => value.words.startsWith('是否');

/** What a factor asks, in the pack's words: “出于公心、顾全大局 ／ 为谋私利或者局部利益”. */
export function factorTitle(factor: PolicyFactor): string {
  const question = factor.values.find(isQuestion);
  if (question) return question.words;
  return factor.values.map((v) => v.words).join(' ／ ');
}

/** How a value reads as an answer: its words, or “否” when its words are the question. */
export function valueLabel(value: PolicyFactorValue): string {
  return isQuestion(value) ? '否' : value.words;
}

export function findFactor(pack: PolicyPack, id: string): PolicyFactor | undefined {
  return pack.factors.find((f) => f.id === id);
}

export function dimensionName(pack: PolicyPack, dimensionId: string): string {
  return pack.dimensions.find((d) => d.id === dimensionId)?.name ?? dimensionId;
}

/** A situation, exclusion or factor id as the pack names it (for trace subjects and lists). */
export function subjectName(pack: PolicyPack, id: string, value?: string): string {
  const situation = pack.situations.find((s) => s.id === id);
  if (situation) return `${situation.article}：${situation.text}`;
  const exclusion = pack.exclusions.find((e) => e.id === id);
  if (exclusion) return `${exclusion.article}：${exclusion.text}`;
  const factor = findFactor(pack, id);
  if (factor) {
    const chosen = value ? factor.values.find((v) => v.id === value) : undefined;
    return `${dimensionName(pack, factor.dimension)}（${factor.article}）：${chosen ? `“${chosen.words}”` : factorTitle(factor)}`;
  }
  return id;
}

/** An entry of the engine's `missing` (`exclusions.<id>` or `factors.<id>`) as the pack names it. */
export function missingName(pack: PolicyPack, key: string): string {
  if (key.startsWith('exclusions.')) {
    const exclusion = pack.exclusions.find((e) => e.id === key.slice('exclusions.'.length));
    return exclusion ? `${pack.nouns.exclusion} ${exclusion.article}“${exclusion.text}”` : key;
  }
  if (key.startsWith('factors.')) {
    const factor = findFactor(pack, key.slice('factors.'.length));
    return factor ? `${pack.nouns.factor} ${dimensionName(pack, factor.dimension)}：${factorTitle(factor)}` : key;
  }
  return key;
}

/** The trace steps that bind the deliberation (Art. 10 exclusion established, or no Art. 8 situation). */
export function bindingSteps(pack: PolicyPack): string[] {
  return [pack.guidance.exclusions?.step, pack.guidance.situations?.step].filter((s): s is string => typeof s === 'string');
}

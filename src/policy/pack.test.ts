import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePack } from './compile.js';
import { bj2020 } from './packs/bj-2020.js';
import type { Article } from './types.js';

// CI clones the repo with ../shared beside it, as here: resolve from the repo root, never from the cwd.
const ORIGINAL = readFileSync(new URL('../../../shared/policy/bj-2020-measures.zh.txt', import.meta.url), 'utf8');
// The original with its indentation and blank lines gone: one paragraph or item per line.
const ORIGINAL_LINES = ORIGINAL.split(/\r?\n/)
  .map((l) => l.trim())
  .filter(Boolean)
  .join('\n');

const NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十', '二十一', '二十二'];

function article(number: string): Article {
  const found = bj2020.articles.find((a) => a.number === number);
  if (!found) throw new Error(`no ${number}`);
  return found;
}

/** The text a single reference like `第八条第（二）项` or `第四条` points at. */
function referenced(ref: string): string {
  const m = /^(第[一二三四五六七八九十]+条)(?:第(（[一二三四五六七八九十]+）)项)?$/u.exec(ref);
  if (!m) throw new Error(`not a single reference: ${ref}`);
  const a = article(m[1]!);
  if (!m[2]) return a.text;
  const item = a.items.find((i) => i.number === m[2]);
  if (!item) throw new Error(`no item ${ref}`);
  return item.text;
}

function expectQuoted(ref: string, text: string) {
  expect(ORIGINAL).toContain(text);
  expect(referenced(ref), `${ref} should contain “${text}”`).toContain(text);
}

describe('bj-2020 pack: the original text', () => {
  it('holds all 22 articles in order', () => {
    expect(bj2020.articles.map((a) => a.number)).toEqual(NUMBERS.map((n) => `第${n}条`));
  });

  it('holds every article verbatim, items and further paragraphs included', () => {
    for (const a of bj2020.articles) {
      expect(ORIGINAL_LINES, a.number).toContain(`${a.number} ${a.text}`);
      expect(a.text).toBe([a.lead, ...a.items.map((i) => i.number + i.text), ...a.rest].join('\n'));
    }
    expect(article('第八条').items).toHaveLength(6);
    expect(article('第九条').items).toHaveLength(6);
    expect(article('第十条').items).toHaveLength(4);
    expect(article('第十三条').items).toHaveLength(3);
    expect(article('第十三条').rest).toEqual(['按照干部管理权限和处分权限，处理、处分需要报上级审批的，依照有关规定办理。']);
    expect(article('第二十条').rest).toHaveLength(3);
  });

  it('takes every situation, exclusion and outcome from its own item', () => {
    for (const s of bj2020.situations) expectQuoted(s.article, s.text);
    for (const e of bj2020.exclusions) expectQuoted(e.article, e.text);
    for (const o of Object.values(bj2020.outcomes)) expectQuoted(o.article, o.text);
    expect(bj2020.exclusions.find((e) => e.id === 'improper-benefit')).toEqual({
      id: 'improper-benefit',
      article: '第十条第（二）项',
      text: '为自己或者他人谋取不正当利益的',
    });
  });

  it('takes every factor value, basis and rule from the original words', () => {
    for (const factor of bj2020.factors) {
      for (const value of factor.values) {
        expectQuoted(value.article, value.words);
        if (value.basis) expectQuoted(value.basis.article, value.basis.text);
      }
    }
    for (const group of bj2020.groups) expectQuoted(group.article, group.text);
    expectQuoted(bj2020.goodMotive.article, bj2020.goodMotive.text);
    for (const rule of bj2020.offsets) for (const reason of rule.reasons) expectQuoted(reason.article, reason.text);
    for (const c of bj2020.contradictions) expectQuoted(c.article, c.text);
    for (const d of bj2020.dimensions) expectQuoted(d.article, d.name);
    const { exclusions, situations, decisive, offsets, count, motiveFirst } = bj2020.guidance;
    for (const step of [exclusions, situations, decisive, offsets, count, motiveFirst]) expectQuoted(step.article, step.text);
  });
});

describe('bj-2020 pack: the contract ids', () => {
  it('has the situations, exclusions and factors of the spec, in table order', () => {
    expect(bj2020.situations.map((s) => [s.id, s.article])).toEqual([
      ['major-work', '第八条第（一）项'],
      ['reform-pilot', '第八条第（二）项'],
      ['emergency', '第八条第（三）项'],
      ['legacy-issues', '第八条第（四）项'],
      ['service-procedure', '第八条第（五）项'],
      ['overall-beneficial', '第八条第（六）项'],
    ]);
    expect(bj2020.exclusions.map((e) => [e.id, e.article])).toEqual([
      ['political-discipline', '第十条第（一）项'],
      ['improper-benefit', '第十条第（二）项'],
      ['grave-consequence', '第十条第（三）项'],
      ['no-rectification', '第十条第（四）项'],
    ]);
    const values = (id: string) => bj2020.factors.find((f) => f.id === id)!.values.map((v) => v.id);
    expect(Object.fromEntries(bj2020.factors.map((f) => [f.id, values(f.id)]))).toEqual({
      'motive.purpose': ['public', 'private-or-local'],
      'motive.intent': ['inadvertent', 'knowing'],
      'motive.history': ['first', 'repeated'],
      'motive.attitude': ['corrects', 'resists'],
      'conditions.task': ['exploratory', 'routine'],
      'conditions.cause': ['unforeseeable', 'reckless'],
      'procedure.compliance': ['lawful', 'irregular', 'abuse'],
      'procedure.collective': ['yes', 'no'],
      'procedure.urgent': ['yes', 'no'],
      'nature.rules': ['unregulated', 'defied'],
      'nature.severity': ['minor', 'serious', 'grave'],
      'consequence.policy': ['advances', 'obstructs'],
      'consequence.loss': ['none', 'small', 'some', 'severe'],
      'consequence.reception': ['approved', 'criticized'],
      'remedy.action': ['timely', 'neglected'],
      'remedy.result': ['recovered', 'irrecoverable'],
    });
    for (const f of bj2020.factors) expect(f.dimension).toBe(f.id.split('.')[0]);
  });

  it('sets the poles and decisive values of the spec', () => {
    const favourable = bj2020.factors.flatMap((f) => f.values.filter((v) => v.pole === 'favourable').map((v) => `${f.id}=${v.id}`));
    // The first value of each factor, and `consequence.loss = small` too.
    const expected = bj2020.factors.map((f) => `${f.id}=${f.values[0]!.id}`);
    expected.splice(expected.indexOf('consequence.loss=none') + 1, 0, 'consequence.loss=small');
    expect(favourable).toEqual(expected);
    const decisive = bj2020.factors.flatMap((f) => f.values.filter((v) => v.decisive).map((v) => `${f.id}=${v.id}`));
    expect(decisive).toEqual([
      'motive.purpose=private-or-local',
      'motive.intent=knowing',
      'motive.attitude=resists',
      'procedure.compliance=abuse',
      'nature.rules=defied',
      'remedy.action=neglected',
    ]);
  });

  it('carries the coding guidance for knowing and defied', () => {
    const value = (f: string, v: string) => bj2020.factors.find((x) => x.id === f)!.values.find((x) => x.id === v)!;
    for (const v of [value('motive.intent', 'knowing'), value('nature.rules', 'defied')]) {
      expect(v.guidance).toMatch(/第九条第（三）项/u);
      expect(v.guidance).toContain('procedure.compliance = irregular');
      expect(v.guidance).toMatch(/第八条第（五）项/u);
    }
  });

  it('has the default settings of the spec', () => {
    expect(bj2020.guidance.count).toMatchObject({ exemptAtMost: 0, reducedAtMost: 2 });
    expect(bj2020.guidance.motiveFirst.enabled).toBe(true);
    expect(bj2020.guidance.thinBasis).toEqual({ code: 'thin-basis', minDimensions: 2 });
    expect(bj2020.groups).toEqual([expect.objectContaining({ members: ['procedure.collective', 'procedure.urgent'] })]);
    expect(bj2020.goodMotive.anyOf).toEqual([
      { factor: 'motive.purpose', value: 'public' },
      { factor: 'motive.intent', value: 'inadvertent' },
    ]);
    expect(bj2020.offsets.map((o) => [`${o.factor}=${o.value}`, o.reasons.map((r) => r.when)])).toEqual([
      [
        'procedure.compliance=irregular',
        [
          { kind: 'group-favourable', group: 'procedure.collective-or-urgent' },
          { kind: 'factor-value', factor: 'remedy.action', value: 'timely' },
        ],
      ],
      ['consequence.loss=some', [{ kind: 'factor-value', factor: 'remedy.action', value: 'timely' }]],
    ]);
  });

  it('is consistent, and pure data', () => {
    expect(() => validatePack(bj2020)).not.toThrow();
    expect(JSON.parse(JSON.stringify(bj2020))).toEqual(bj2020);
    expect(bj2020).toMatchObject({ id: 'bj-2020', version: '2020-06-28', effectiveFrom: '2020-06-28', issuer: '中共北京市委办公厅' });
  });
});

describe('the engine knows no jurisdiction', () => {
  it('has no bj-2020 id, article number or original words in its code', () => {
    const ids = [
      bj2020.id,
      ...bj2020.situations.map((s) => s.id),
      ...bj2020.exclusions.map((e) => e.id),
      ...bj2020.factors.map((f) => f.id),
      ...bj2020.dimensions.map((d) => `'${d.id}'`),
    ];
    for (const file of ['engine.ts', 'compile.ts']) {
      const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/第[一二三四五六七八九十]+条/u);
      for (const id of ids) expect(source, `${file} mentions ${id}`).not.toContain(id);
    }
  });
});

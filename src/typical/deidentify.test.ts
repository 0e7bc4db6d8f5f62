import { describe, expect, it } from 'vitest';
import { deidentify, draftTypicalText, emptyReport, findIdentifyingTerms, genericOrganization, identifyingTerms, levelBandOf, probableNames, quarterOf, type TypicalSource } from './deidentify.js';

const FACTS = {
  official: { name: '夏春生', position: '医政医管科科长', rank: 'section-principal' },
  organizations: [
    { name: '北京市西城区卫生健康委员会', shortName: '西城区卫生健康委', type: 'government-department' },
    { name: '中共北京市西城区委员会', shortName: '西城区委', type: 'party-committee' },
    { name: '北京市西城区人民政府德胜街道办事处', shortName: '德胜街道办事处', type: 'government' },
    { name: '北京青禾城市发展集团有限公司', shortName: '青禾集团', type: 'state-owned-enterprise' },
  ],
  caseId: '00000000-0000-4000-8000-000000000001',
  otherNames: ['赵雪莲'],
};

describe('de-identification of typical cases', () => {
  const terms = identifyingTerms(FACTS);

  it('generalizes the post to its level band and the section it names', () => {
    expect(levelBandOf('division-deputy')).toBe('县处级干部');
    expect(levelBandOf('staff')).toBe('一般干部');
    expect(deidentify('医政医管科科长夏春生负责该项工作，医政医管科未逐户核查。', terms)).toBe('乡科级干部夏某负责该项工作，相关内设机构未逐户核查。');
  });

  it('generalizes each organization to its sector and region, never its name or function', () => {
    expect(genericOrganization(FACTS.organizations[0]!)).toBe('某区政府部门');
    expect(genericOrganization({ name: '北京市交通委员会', shortName: '市交通委', type: 'government-department' })).toBe('某市政府部门');
    expect(genericOrganization(FACTS.organizations[2]!)).toBe('某区街道办事处');
    expect(genericOrganization(FACTS.organizations[3]!)).toBe('某市国有企业');
    expect(deidentify('西城区卫生健康委、区卫生健康委和青禾集团、德胜街道', terms)).toBe('某区政府部门、区政府部门和某市国有企业、某街道');
  });

  it('generalizes dates to the month, and states the decision to the quarter', () => {
    const report = emptyReport();
    expect(deidentify('2025年3月4日、2025-11-30 和 6月18日召开会议；2025年3月启动。', terms, report)).toBe('2025年3月、2025年11月 和 6月召开会议；2025年3月启动。');
    expect(report.forms.dates).toBe(3);
    expect(quarterOf(new Date('2025-03-31T17:00:00Z'))).toBe('2025年第二季度'); // 1 April in Beijing
    expect(quarterOf(new Date('2025-12-31T15:00:00Z'))).toBe('2025年第四季度');
  });

  it('removes direct identifiers: names, other people, ids, document numbers, ID and mobile numbers, and counts what it removed', () => {
    const report = emptyReport();
    const text = '夏春生同志（身份证号 110105 19491231 002X，电话 138-1234-5678）与赵雪莲见面，春生表示接受，夏科长签字。京西纪发〔2025〕12号。案件 00000000-0000-4000-8000-000000000001。';
    const out = deidentify(text, terms, report);
    expect(out).toBe('夏某同志（身份证号 某号码，电话 某号码）与赵某某见面，某表示接受，夏某签字。（文号略）。案件 。');
    expect(report).toEqual({ terms: { name: 4, organization: 0, place: 0, post: 0, id: 1 }, forms: { ids: 0, documentNumbers: 1, dates: 0, identifiers: 2 } });
  });

  it('flags what is left: terms of the case, ID and mobile numbers (masked in the list), likely names', () => {
    expect(findIdentifyingTerms('某区政府部门乡科级干部夏某', terms)).toEqual([]);
    expect(findIdentifyingTerms('夏春生、医政医管科科长', terms)).toEqual(expect.arrayContaining(['夏春生', '医政医管科科长']));
    const flagged = findIdentifyingTerms('号码11010519491231002X，手机13812345678', terms);
    expect(flagged).toEqual(['公民身份号码 110105********002X', '手机号码 138****5678']);
    expect(flagged.join()).not.toContain('19491231');
    expect(probableNames('经查，王局长和李主任知情；，周建华同志到场；夏某同志、副局长、该同志、办公室主任在场。')).toEqual(['王局长', '李主任', '周建华同志']);
  });

  it('drafts with the basics generalized and every identifying term replaced', () => {
    const source: TypicalSource = {
      title: '西城区卫生健康委执业校验把关不严问题',
      description: '西城区卫生健康委医政医管科在2025年4月8日的执业校验中仅作书面审查，科长夏春生负责该项工作。',
      outcome: 'not_tolerated',
      outcomeLabel: '不予容错',
      measureLabels: ['通报'],
      measureDetails: '',
      toleranceOpinion: '夏春生同志擅自简化程序，不予容错。',
      toleranceReasons: '',
      situations: [],
      subject: { unit: '某区政府部门', band: '乡科级干部' },
      decidedIn: '2025年第二季度',
    };
    const { title, body, report } = draftTypicalText(source, terms);
    expect(title).toBe('某区政府部门执业校验把关不严问题（不予容错）');
    expect(body).toContain('【基本情况】当事人为某区政府部门乡科级干部；处理决定作出于2025年第二季度。');
    expect(body).toContain('【基本案情】某区政府部门相关内设机构在2025年4月的执业校验中仅作书面审查，科长夏某负责该项工作。');
    expect(findIdentifyingTerms(`${title}\n${body}`, terms)).toEqual([]);
    expect(probableNames(body)).toEqual([]);
    expect(report.terms.name).toBe(2);
    expect(JSON.stringify(report)).not.toContain('夏');
  });
});

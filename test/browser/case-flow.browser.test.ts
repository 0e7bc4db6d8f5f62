import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * One new case driven through the case page by the people of each role, signed in as themselves: the district
 * handler opens it and investigates, the official and their party organization are heard and apply in writing,
 * the handler assesses (the engine's recommendation appears live) and minutes the deliberation, decides, the
 * higher authority approves, the handler serves. Only the UI is used to act; the API is read only to compare.
 */

/** A minimal valid PDF: the server judges attachments by their bytes. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Ability {
  allowed: boolean;
  reason?: string;
  code?: string;
}

const ACTIONS = [
  'recordEvidence',
  'recordOpinion',
  'recordStatement',
  'submitApplication',
  'markProfessional',
  'inviteExpert',
  'recordExpertOpinion',
  'recordAssessment',
  'recordDeliberation',
  'decide',
  'approveDecision',
  'serve',
  'lodgeAppeal',
  'decideAppeal',
  'close',
] as const;

/** The audit events the timeline must list, in order, with the Chinese each is shown as. */
const EXPECTED_TIMELINE: [string, string][] = [
  ['case.opened', '启动问责追责，同步启动容错认定'],
  ['case.opinion-recorded', '听取意见'],
  ['case.evidence-recorded', '记录证据材料'],
  ['case.opinion-recorded', '听取意见'],
  ['case.application-submitted', '提出书面容错申请'],
  ['case.application-submitted', '提出书面容错申请'],
  ['case.assessment-recorded', '记录容错研判'],
  ['case.deliberation-recorded', '集体研究'],
  ['case.decided', '作出处理决定'],
  ['case.decision-approved', '上级审批同意'],
  ['case.served', '宣布送达并说明容错情况'],
];

async function openCasePage(page: Page, caseId: string) {
  await page.goto(`/cases/${caseId}`);
  await page.getByTestId('case-state').waitFor();
}

async function openAction(page: Page, action: string) {
  const button = page.getByTestId(`action-${action}`);
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  await page.getByTestId(`submit-${action}`).waitFor();
}

/** Submits the open form and waits for the server's acceptance and the drawer to close. */
async function submitAction(page: Page, action: string, success: string) {
  await page.getByTestId(`submit-${action}`).click();
  await page.locator('.ant-message-success').filter({ hasText: success }).first().waitFor();
  await page.getByTestId(`submit-${action}`).waitFor({ state: 'detached' });
}

async function expectState(page: Page, state: string) {
  await expect.poll(() => page.getByTestId('case-state').textContent()).toBe(state);
}

async function abilitiesOf(page: Page, caseId: string): Promise<Record<string, Ability>> {
  const response = await page.request.get(`/api/v1/cases/${caseId}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { abilities: Record<string, Ability> }).abilities;
}

/** Every action button on the page mirrors the API: absent when forbidden to the role, enabled exactly when allowed. */
async function expectButtonsMatchAbilities(page: Page, caseId: string) {
  const abilities = await abilitiesOf(page, caseId);
  await openCasePage(page, caseId);
  for (const action of ACTIONS) {
    const ability = abilities[action];
    expect(ability, action).toBeDefined();
    const button = page.getByTestId(`action-${action}`);
    if (ability!.code === 'FORBIDDEN') {
      await expect(button.count(), `${action} is forbidden to the role and must not be shown`).resolves.toBe(0);
    } else {
      await expect(button.count(), `${action} must be shown`).resolves.toBe(1);
      await expect(button.isEnabled(), `${action}: enabled must equal abilities.allowed (${ability!.reason ?? ''})`).resolves.toBe(ability!.allowed);
    }
  }
  const shown = await Promise.all((await page.locator('button[data-testid^="action-"]').all()).map((button) => button.getAttribute('data-testid')));
  expect(shown.every((id) => ACTIONS.some((a) => `action-${a}` === id)), `unexpected buttons: ${shown.join(', ')}`).toBe(true);
}

describe('the case page, in a real browser', () => {
  let h: BrowserHarness;
  let caseId: string | undefined;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('takes one new case from opening to service through the UI, each role signed in as themselves', { timeout: 600_000 }, async () => {
    // The district handler signs in through the form.
    const handler = await h.anonymousPage();
    await handler.goto('/login');
    await handler.getByLabel('用户名').waitFor();
    await h.screenshot(handler, 'case-01-sign-in');
    // Password and authenticator code (the first sign-in's enrolment and password change done by the harness).
    await h.signInThroughForm(handler, 'dc-jiwei');
    await handler.waitForURL(/\/workbench/);

    // Opens a case against an official of 东城 who has an account of his own (韩明哲, 东四街道).
    await handler.goto('/cases');
    await handler.getByTestId('case-total').waitFor();
    await h.screenshot(handler, 'case-02-case-list');
    await handler.getByRole('button', { name: /启动问责追责/ }).click();
    await handler.getByLabel('责任追究对象').fill('韩明哲');
    await handler.locator('.ant-select-item-option').first().click();
    await handler.getByLabel('案件名称').fill('东四街道占道经营整治中未书面告知即清理问题');
    await handler.getByLabel('失误错误问题描述').fill('东四街道城市管理办公室在占道经营集中整治中，为尽快恢复通行，对部分商户未书面告知即清理占道物品，引发投诉。');
    await handler.getByRole('dialog').getByRole('button', { name: /^启\s*动$/ }).click();
    await handler.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    caseId = new URL(handler.url()).pathname.split('/').at(-1)!;
    await expectState(handler, '调查核实');
    await expect(handler.getByTestId('case-official').textContent()).resolves.toContain('韩明哲');
    // No deliberation before the assessment: the button says why, in the article's words.
    await expect(handler.getByTestId('action-recordDeliberation').isDisabled()).resolves.toBe(true);
    await h.screenshot(handler, 'case-03-case-page');

    // Investigation: an opinion of the unit concerned, and an evidence item with a PDF.
    await openAction(handler, 'recordOpinion');
    await handler.getByRole('radiogroup', { name: '意见类别' }).getByText('相关单位意见').click();
    await handler.getByLabel('意见来源').fill('东城区城市管理委员会');
    await handler.getByLabel('意见内容').fill('整治行动经街道工委会研究部署，执法过程有录像记录。');
    await submitAction(handler, 'recordOpinion', '已记录听取的意见');

    await openAction(handler, 'recordEvidence');
    await handler.getByLabel('证据名称').fill('整治行动现场记录');
    await handler.getByLabel('证据说明').fill('执法记录仪截图及书面告知书。');
    await handler.getByLabel('附件').setInputFiles({ name: '现场记录.pdf', mimeType: 'application/pdf', buffer: PDF });
    await submitAction(handler, 'recordEvidence', '证据材料已记录');
    await handler.getByRole('tab', { name: /证据/ }).click();
    await expect(handler.getByRole('link', { name: '现场记录.pdf', exact: true }).getAttribute('href')).resolves.toMatch(new RegExp(`^/api/v1/cases/${caseId}/evidence/[0-9a-f-]{36}/attachments/[0-9a-f-]{36}$`));

    // The official: a statement (陈述申辩) and a written application.
    const official = await h.page('hanmingzhe');
    await openCasePage(official, caseId);
    await openAction(official, 'recordStatement');
    await official.getByLabel('陈述申辩内容').fill('当时道路严重拥堵，为保障群众通行，先行清理后补送告知书。');
    await submitAction(official, 'recordStatement', '陈述申辩已提交');
    await openAction(official, 'submitApplication');
    await official.getByLabel('书面容错申请').fill('本人出于公心，为方便群众通行，属于第八条第（五）项情形，申请容错。');
    await submitAction(official, 'submitApplication', '容错申请已提交');
    // The official sees neither the evidence nor the assessment.
    await expect(official.getByRole('tab', { name: /证据/ }).count()).resolves.toBe(0);
    await expect(official.getByRole('tab', { name: /容错研判/ }).count()).resolves.toBe(0);

    // Their party organization (东四街道办事处机关党支部) applies too.
    const party = await h.page('dangzhibu-dongsi');
    await openCasePage(party, caseId);
    await openAction(party, 'submitApplication');
    await party.getByLabel('书面容错申请').fill('党支部认为韩明哲同志出于公心、方便群众，符合容错条件，特此申请。');
    await submitAction(party, 'submitApplication', '容错申请已提交');

    // The assessment, from the pack; the recommendation follows the form live.
    await openCasePage(handler, caseId);
    await openAction(handler, 'recordAssessment');
    const live = handler.getByTestId('live-recommendation');
    await handler.getByLabel('在服务群众、服务企业、服务基层工作中').check();
    for (const exclusion of ['违反政治纪律和政治规矩', '谋取不正当利益', '重大责任事故', '事后不积极整改纠错']) {
      await handler.getByRole('radiogroup', { name: new RegExp(exclusion) }).getByText('否', { exact: true }).click();
    }
    await handler.getByRole('radiogroup', { name: /考察动机态度：出于公心/ }).getByText('出于公心、顾全大局').click();
    await handler.getByRole('radiogroup', { name: /考察程序方法：按照规定的权限/ }).getByText('一定程序瑕疵').click();
    await handler.getByRole('radiogroup', { name: /考察后果影响：未造成损失影响/ }).getByText('造成一定损失或者影响').click();
    await live.getByTestId('live-recommendation-outcome').filter({ hasText: '容错减责' }).waitFor();
    await expect(live.getByTestId('binding-steps').count()).resolves.toBe(0);
    await expect(live.getByTestId('assessment-trace').textContent()).resolves.toContain('第八条第（五）项');
    await handler.getByLabel('研判说明').fill('程序瑕疵与造成一定影响各一项，计入两项不利因素。');
    await h.screenshot(handler, 'case-04-assessment-live');
    await submitAction(handler, 'recordAssessment', '容错研判已记录');

    // The collective deliberation: a quorum (three of the five members of 东城区纪委监委), every application answered.
    await openAction(handler, 'recordDeliberation');
    const members = ['徐海峰', '孟庆林', '秦雅丽'];
    for (const name of members) await handler.getByLabel(name).check();
    for (const name of members) await handler.getByRole('radiogroup', { name: `${name}的意见` }).getByText('容错减责').click();
    await handler.getByLabel('徐海峰的发言要点').fill('出于公心，建议从轻。');
    await handler.getByLabel('问责追责意见').fill('对韩明哲同志予以诫勉，并调整其分管工作。');
    await handler.getByLabel('容错意见', { exact: true }).fill('符合第八条第（五）项情形，予以容错减责，从轻问责。');
    await handler.getByLabel('对申请 1（干部本人）的答复').fill('经集体研究，符合容错减责条件，予以从轻问责。');
    await handler.getByLabel('对申请 2（所在党组织）的答复').fill('经集体研究，符合容错减责条件，予以从轻问责。');
    // The proposed outcome starts at the recommendation, so no departure reason is asked for.
    await expect(handler.getByLabel('与研判建议不一致的理由').count()).resolves.toBe(0);
    await handler.getByText('到会成员意见').scrollIntoViewIfNeeded();
    await h.screenshot(handler, 'case-05-deliberation-form');
    await submitAction(handler, 'recordDeliberation', '集体研究已记录');
    await expectState(handler, '已集体研究');

    // The decision: reduced (从轻), with a measure that needs the higher authority's approval.
    await openAction(handler, 'decide');
    await handler.getByLabel('从轻问责追责').check();
    await handler.getByLabel('诫勉').check();
    await handler.getByLabel('组织调整或者组织处理').check();
    await handler.getByLabel('容错理由和容错依据').fill('出于公心，为方便群众通行而简化告知程序，属第八条第（五）项情形，依第十三条第（二）项从轻问责。');
    await submitAction(handler, 'decide', '处理决定已作出');
    await expectState(handler, '待上级审批');

    const approver = await h.page('jiwei-sp');
    await openCasePage(approver, caseId);
    await openAction(approver, 'approveDecision');
    await approver.getByLabel('审批意见').fill('同意。');
    await submitAction(approver, 'approveDecision', '已审批同意');
    await expectState(approver, '已作出决定');

    await openCasePage(handler, caseId);
    await openAction(handler, 'serve');
    await handler.getByLabel('向干部本人说明容错情况').fill('已宣布处理决定，说明予以容错减责的理由和依据，并告知申诉权利。');
    await handler.getByLabel('向所在党组织说明容错情况').fill('已向东四街道办事处机关党支部书面说明容错情况。');
    await submitAction(handler, 'serve', '已宣布送达');
    await expectState(handler, '已送达');
    await expect(handler.getByTestId('case-outcome').textContent()).resolves.toBe('容错减责');

    // The timeline lists every step, in order, in Chinese.
    const timeline = handler.getByTestId('timeline');
    await expect.poll(() => timeline.getByTestId('timeline-event').count()).toBe(EXPECTED_TIMELINE.length);
    const types = await Promise.all((await timeline.getByTestId('timeline-event').all()).map((event) => event.getAttribute('data-event-type')));
    expect(types).toEqual(EXPECTED_TIMELINE.map(([type]) => type));
    const texts = await timeline.getByTestId('timeline-event').allTextContents();
    EXPECTED_TIMELINE.forEach(([, text], i) => expect(texts[i]).toContain(text));
    expect(texts[4]).toContain('韩明哲');
    expect(texts[9]).toContain('杜长青');
    // Let the procedure bar finish its transition: the screenshot is for people to look at.
    await handler.locator('.ant-steps-item-process').filter({ hasText: '申诉' }).waitFor();
    await handler.waitForTimeout(500);
    await h.screenshot(handler, 'case-06-served');

    // The official now sees the decision in force and the explanation given to him (Art. 15).
    await openCasePage(official, caseId);
    await official.getByRole('tab', { name: /送达/ }).click();
    await expect(official.getByTestId('service').textContent()).resolves.toContain('说明予以容错减责的理由');

    for (const page of [handler, official, party, approver]) await page.context().close();
  });

  it('shows the handler exactly the action buttons the API allows, on every case of theirs', { timeout: 300_000 }, async () => {
    const page = await h.page('dc-jiwei');
    const list = (await (await page.request.get('/api/v1/cases?limit=100')).json()) as { data: { id: string }[] };
    expect(list.data.length).toBeGreaterThan(0);
    if (caseId) expect(list.data.map((c) => c.id)).toContain(caseId);
    for (const c of list.data) await expectButtonsMatchAbilities(page, c.id);
    await page.context().close();
  });
});

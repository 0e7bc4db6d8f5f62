import type { APIResponse, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_XSS, xssText } from '../helpers/xss.js';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * Markup in every free-text field a user can fill, shown by the web application in a real browser: no script
 * runs (a payload that ran would set `window.__xss` or open a dialog), no element of the payload's appears in the
 * page (an injected <img onerror> would be blocked by the CSP, so the DOM is checked too), and the text is shown
 * literally. The texts are written through the API as the demo's users (the forms are tested elsewhere); the
 * pages that show them are opened as the users who see them.
 */

const FAVOURABLE = {
  situations: ['reform-pilot'],
  exclusions: { 'political-discipline': false, 'improper-benefit': false, 'grave-consequence': false, 'no-rectification': false },
  factors: { 'motive.purpose': 'public', 'motive.intent': 'inadvertent', 'consequence.loss': 'small', 'remedy.action': 'timely' },
};
/** Today in Beijing, as the server dates what users record. */
const beijingToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const SELECTORS_OF_INJECTED_MARKUP = 'img[src="x"], svg[onload], iframe[srcdoc], a[href^="javascript:" i], [onerror], [onload]';

// The page's globals, as the functions passed to page.evaluate see them (the test project has no DOM types).
declare const document: { body: { innerText: string }; querySelectorAll(selector: string): Iterable<{ textContent: string | null }> };
declare const window: { __xss?: unknown; parent: { __xss?: unknown } };

describe('markup in free text, in a real browser', () => {
  let h: BrowserHarness;
  const pages = new Map<string, Page>();
  const dialogs: string[] = [];
  /** Each field's text, by field name. */
  const texts = new Map<string, string>();
  const text = (field: string) => {
    const value = xssText(field, texts.size);
    texts.set(field, value);
    return value;
  };
  let caseId = '';
  let typicalTitle = '';

  /** A signed-in page of this demo user, reused; every dialog it opens is recorded (and dismissed). */
  async function as(username: string): Promise<Page> {
    if (!pages.has(username)) {
      const page = await h.page(username);
      page.on('dialog', (dialog) => {
        dialogs.push(`${username}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      pages.set(username, page);
    }
    return pages.get(username)!;
  }

  async function call(username: string, method: 'POST' | 'PUT' | 'GET', url: string, data?: unknown): Promise<Record<string, unknown>> {
    const page = await as(username);
    const response: APIResponse = await page.request.fetch(url, { method, ...(data !== undefined ? { data: data as Record<string, unknown> } : {}) });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok()) throw new Error(`${username} ${method} ${url}: ${response.status()} ${JSON.stringify(body)}`);
    return body;
  }

  const idOf = async (table: 'users' | 'officials', column: 'username' | 'name', value: string) =>
    (await h.db.db.selectFrom(table).select('id').where(column as never, '=', value as never).executeTakeFirstOrThrow()).id as string;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('takes markup in every free-text field of a case, its rectification, follow-up and a typical case', async () => {
    const officialId = await idOf('officials', 'name', '韩明哲');
    let version = 0;
    const command = async (username: string, path: string, body: Record<string, unknown>) => {
      const result = await call(username, 'POST', `/api/v1/cases/${caseId}/${path}`, { version, ...body });
      version = result.version as number;
      return result.data as Record<string, unknown>;
    };

    const opened = await call('dc-jiwei', 'POST', '/api/v1/cases', { officialId, title: text('案件名称'), description: `${text('问题描述')} ${ALL_XSS}` });
    caseId = (opened.data as { id: string }).id;
    version = opened.version as number;

    const handler = await as('dc-jiwei');
    const evidence = await handler.request.post(`/api/v1/cases/${caseId}/evidence`, {
      multipart: { version: String(version), title: text('证据名称'), description: text('证据说明'), kind: 'document', attachments: { name: '<img src=x onerror=window.__xss=1>.pdf', mimeType: 'application/pdf', buffer: PDF } },
    });
    expect(evidence.status(), await evidence.text()).toBe(201);
    version = ((await evidence.json()) as { version: number }).version;

    await command('dc-jiwei', 'opinions', { kind: 'unit', source: text('意见来源'), content: text('单位意见') });
    await command('hanmingzhe', 'statement', { content: text('陈述申辩') });
    const application = await command('hanmingzhe', 'applications', { content: text('本人容错申请') });
    const partyApplication = await command('dangzhibu-dongsi', 'applications', { content: text('党组织容错申请') });
    await command('dc-jiwei', 'professional', { professional: true });
    await command('dc-jiwei', 'experts', { expertId: await idOf('users', 'username', 'zhuanjia'), question: text('咨询问题'), evidenceIds: [] });
    await command('zhuanjia', 'expert-opinion', { content: text('专家意见') });
    await command('dc-jiwei', 'assessment', { input: FAVOURABLE, note: text('研判说明') });
    const members = await Promise.all(['dc-cy1', 'dc-cy2', 'dc-cy3'].map((u) => idOf('users', 'username', u)));
    await command('dc-jiwei', 'deliberations', {
      heldOn: beijingToday(),
      membersPresent: members,
      memberOpinions: members.map((memberId, i) => ({ memberId, opinion: 'reduced', comment: text(`成员意见${i + 1}`) })),
      accountabilityOpinion: text('问责意见'),
      toleranceOpinion: text('集体研究容错意见'),
      proposedOutcome: 'reduced',
      applicationAnswers: [application.id, partyApplication.id].map((applicationId) => ({ applicationId, answer: text('申请答复') })),
      departureReason: text('研究偏离理由'),
    });
    const decided = await command('dc-jiwei', 'decision', {
      outcome: 'reduced',
      reduction: 'lighter',
      measures: ['admonishment'],
      measureDetails: text('处理方式说明'),
      toleranceOpinion: text('决定容错意见'),
      toleranceReasons: text('容错理由'),
      departureReason: text('决定偏离理由'),
    });
    let appealDecider = 'jiwei-sp';
    if (decided.requiresApproval) {
      await command('jiwei-sp', 'decision/approval', { approve: true, note: text('审批意见') });
      appealDecider = 'jiwei-fc';
    }
    await command('dc-jiwei', 'service', { explanationToOfficial: text('向本人说明'), explanationToPartyOrg: text('向党组织说明') });
    await command('hanmingzhe', 'appeal', { grounds: text('申诉理由') });
    await command(appealDecider, 'appeal/decision', { outcome: 'upheld', reasons: text('申诉处理理由') });

    // Rectification of the case: a plan, an item owned by the official, the official's report, a check.
    const plan = await call('dc-jiwei', 'POST', `/api/v1/cases/${caseId}/rectification`, { title: text('整改方案名称'), description: text('整改方案说明') });
    const planView = plan.plan as { id: string; version: number };
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const withItem = await call('dc-jiwei', 'POST', `/api/v1/rectification/plans/${planView.id}/items`, { version: planView.version, items: [{ title: text('整改事项'), ownerOfficialId: officialId, deadline, mechanism: text('长效机制') }] });
    const item = (withItem.plan as { items: { id: string }[]; version: number });
    const reported = await call('hanmingzhe', 'POST', `/api/v1/rectification/items/${item.items[0]!.id}/progress`, { version: item.version, content: text('整改进展') });
    await call('jiandu', 'POST', `/api/v1/rectification/items/${item.items[0]!.id}/check`, { version: (reported.plan as { version: number }).version, accepted: false, note: text('核查说明') });

    // Follow-up: an unscheduled visit and a prevention reminder with its follow-up.
    await call('dc-jiwei', 'POST', '/api/v1/followup/visits', { officialId, kind: Object.keys(await visitKinds())[0], record: text('回访记录'), caseId });
    const reminder = await call('dc-jiwei', 'POST', '/api/v1/followup/reminders', { officialId, kind: await reminderKind(), problem: text('苗头性问题'), followUp: text('提醒措施') });
    await call('dc-jiwei', 'POST', `/api/v1/followup/reminders/${(reminder.data as { id: string }).id}/follow-ups`, { followedUpOn: beijingToday(), record: text('跟踪情况'), resolved: false });

    // A typical case drafted from a closed demo case, edited, approved and published.
    const sources = await call('dc-jiwei', 'GET', '/api/v1/typical-cases/sources');
    const source = (sources.data as { id: string }[])[0]!;
    const draft = (await call('dc-jiwei', 'POST', '/api/v1/typical-cases', { caseId: source.id })).data as { id: string; version: number };
    typicalTitle = text('典型案例标题');
    const edited = (await call('dc-jiwei', 'PUT', `/api/v1/typical-cases/${draft.id}`, { version: draft.version, title: typicalTitle, body: `${text('典型案例正文')} ${ALL_XSS}` })).data as { version: number };
    const submitted = (await call('dc-jiwei', 'POST', `/api/v1/typical-cases/${draft.id}/submit`, { version: edited.version })).data as { version: number };
    const approved = (await call('xuanchuan', 'POST', `/api/v1/typical-cases/${draft.id}/approve`, { version: submitted.version })).data as { version: number };
    await call('xuanchuan', 'POST', `/api/v1/typical-cases/${draft.id}/publish`, { version: approved.version });
  });

  /** What a page must not contain or have done, after the given texts have appeared on it. */
  async function expectInert(page: Page, label: string, shown: readonly string[]) {
    await page.waitForLoadState('networkidle');
    for (const field of shown) {
      const value = texts.get(field)!;
      // The exact characters, markup included, as text the user can read.
      await expect.poll(() => page.evaluate((v) => document.body.innerText.includes(v), value), { timeout: 30_000, message: `${label}: ${field} shown literally` }).toBe(true);
    }
    expect(await page.evaluate(() => window.__xss), `${label}: a payload ran`).toBeUndefined();
    expect(await page.evaluate(() => window.parent.__xss), label).toBeUndefined();
    expect(await page.locator(SELECTORS_OF_INJECTED_MARKUP).count(), `${label}: markup of a payload became an element`).toBe(0);
    const scripted = await page.evaluate(() => [...document.querySelectorAll('script, style')].some((e) => (e.textContent ?? '').includes('__xss')));
    expect(scripted, `${label}: a payload became a script or style element`).toBe(false);
    expect(dialogs, label).toEqual([]);
  }

  async function visit(username: string, url: string, shown: readonly string[]) {
    const page = await as(username);
    await page.goto(url);
    await expectInert(page, `${username} ${url}`, shown);
    return page;
  }

  it('shows them literally on every tab of the case, to the handler, and runs none', async () => {
    const tabs: [string, string[]][] = [
      ['overview', ['案件名称', '问题描述']],
      ['evidence', ['证据名称', '证据说明']],
      ['experts', ['咨询问题']],
      ['opinions', ['意见来源', '单位意见', '陈述申辩', '专家意见']],
      ['applications', ['本人容错申请', '党组织容错申请']],
      ['assessment', []],
      ['deliberations', ['问责意见', '集体研究容错意见']],
      ['decisions', ['决定容错意见', '容错理由']],
      ['services', ['向本人说明', '向党组织说明']],
      ['appeals', ['申诉理由', '申诉处理理由']],
      ['rectification', ['整改方案名称', '整改事项', '长效机制']],
      ['documents', []],
    ];
    for (const [tab, shown] of tabs) await visit('dc-jiwei', `/cases/${caseId}?tab=${tab}`, shown);
    // The evidence's attachment name, with its markup, is a name and nothing else.
    const page = await visit('dc-jiwei', `/cases/${caseId}?tab=evidence`, []);
    await expect.poll(() => page.evaluate(() => document.body.innerText.includes('<img src=x onerror=window.__xss=1>.pdf'))).toBe(true);
  });

  it('shows them to the official, the party organization, the expert and the approver, and runs none', async () => {
    await visit('hanmingzhe', `/cases/${caseId}?tab=overview`, ['案件名称']);
    await visit('hanmingzhe', `/cases/${caseId}?tab=services`, ['向本人说明']);
    await visit('hanmingzhe', `/cases/${caseId}?tab=appeals`, ['申诉理由']);
    await visit('dangzhibu-dongsi', `/cases/${caseId}?tab=services`, ['向党组织说明']);
    await visit('zhuanjia', `/cases/${caseId}?tab=experts`, ['咨询问题']);
    await visit('jiwei-sp', `/cases/${caseId}?tab=decisions`, ['决定容错意见']);
  });

  it('shows them in lists, the workbench, follow-up, rectification, typical cases and the public page, and runs none', async () => {
    await visit('dc-jiwei', `/cases?q=${encodeURIComponent('案件名称')}`, ['案件名称']);
    await visit('dc-jiwei', '/workbench', []);
    // Follow-up records are in collapsed panels: checked for inertness, not for display.
    await visit('dc-jiwei', '/followup', []);
    await visit('hanmingzhe', '/workbench', []);
    await visit('jiandu', '/oversight', []);
    await visit('dc-jiwei', '/typical-cases/manage', ['典型案例标题']);
    const visitor = await h.anonymousPage();
    visitor.on('dialog', (dialog) => {
      dialogs.push(`visitor: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await visitor.goto('/typical-cases');
    await visitor.waitForLoadState('networkidle');
    await expectInert(visitor, 'public typical cases', ['典型案例标题']);
    await expect.poll(() => visitor.evaluate(() => document.body.innerText.includes('典型案例正文'))).toBe(true);
    await visitor.context().close();
  });

  async function visitKinds(): Promise<Record<string, string>> {
    const { VISIT_KINDS } = await import('../../src/followup/settings.js');
    return VISIT_KINDS as Record<string, string>;
  }
  async function reminderKind(): Promise<string> {
    const { REMINDER_KINDS } = await import('../../src/followup/settings.js');
    return Object.keys(REMINDER_KINDS)[0]!;
  }
});

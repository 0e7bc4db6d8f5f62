import { AUDIENCE_LABELS, INVENTORY_ENTRIES, RETENTION, type Audience, type InventoryEntry, type PersonalEntry } from './inventory.js';

const AUDIENCE_ORDER = Object.keys(AUDIENCE_LABELS) as Audience[];

/** Where the generated document lives, relative to the repository root. */
export const INVENTORY_DOC_PATH = 'docs/personal-information.md';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * docs/personal-information.md, rendered from the inventory: the document assessors and the organ's personal
 * information officer read. Written by `npm run privacy:inventory`; a test fails when it is not current.
 */
export function renderInventoryMarkdown(inventory: Readonly<Record<string, InventoryEntry>> = INVENTORY_ENTRIES): string {
  const names = Object.keys(inventory).sort((a, b) => a.localeCompare(b, 'en'));
  const personal = names.filter((n) => inventory[n]!.personal) as string[];
  const sensitive = personal.filter((n) => (inventory[n] as PersonalEntry).sensitive);
  const plain = names.filter((n) => !inventory[n]!.personal);
  const row = (name: string) => {
    const e = inventory[name] as PersonalEntry;
    const notes = [e.masked ? '脱敏显示，明文须写明原因查看并记入审计' : '', e.map ? '键为数据而非字段名' : '', e.elsewhere ? `在 ${e.elsewhere.routes.map((r) => `\`${r}\``).join('、')} 中为${e.elsewhere.holds}，不含个人信息` : '']
      .filter(Boolean)
      .join('；');
    return `| \`${name}\` | ${cell(e.holds)} | ${e.sensitive ? '是' : '否'} | ${cell(e.purpose)} | ${AUDIENCE_ORDER.filter((a) => e.roles.includes(a)).map((a) => AUDIENCE_LABELS[a]).join('、')} | ${cell(RETENTION[e.retention])} | ${cell(notes) || '—'} |`;
  };
  const lines = [
    '# 个人信息清单',
    '',
    '<!-- 由 `npm run privacy:inventory` 根据 src/privacy/inventory.ts 生成，请勿手工修改；测试检查本文件是否为最新。 -->',
    '',
    '本清单列出 API 响应可能包含的每一个字段：是否属于个人信息、是否属于敏感个人信息（《个人信息保护法》第二十八条；',
    'GB/T 35273—2020 附录 B：身份证件号码、未公开的违法违规记录等），处理目的、可见的角色和保存期限。',
    '不含个人信息的字段也一并列出，新增字段未经分类无法进入响应（test/privacy-inventory.db.test.ts：',
    '逐一检查 OpenAPI 文档中的响应字段，并以各角色的演示账号读取全部查询接口，发现清单之外的字段或超出所列角色的个人信息即失败）。',
    '',
    '- 问责追责案件的内容属于未公开的违法违规记录，按敏感个人信息处理。',
    '- 公民身份号码、手机号码加密保存（信封加密，数据密钥由库外的密钥加密密钥封装），响应中只出现脱敏形式；',
    '  管理该干部的经办人和组织人事部门写明原因后可查看明文，每次查看在同一事务中记入审计（`person.identifier-revealed`，不记录号码本身）；',
    '  同样是这些人员登记、更正或清除号码，写入前即加密，记入审计（`person.identifiers-changed`，只记录哪一项如何变更，不记录号码）。',
    '- 典型案例是去标识化（GB/T 37964）而非匿名化的结果：直接标识删除，准标识泛化，发布前须人工审核、由起草人以外的宣传部门人员审批。',
    '- 同一字段名在不同接口中含义不同时，按最敏感的用途分类，并注明在哪些接口中不含个人信息。',
    '',
    `共 ${names.length} 个字段：个人信息 ${personal.length} 个（其中敏感个人信息 ${sensitive.length} 个），不含个人信息 ${plain.length} 个。`,
    '',
    '## 个人信息字段',
    '',
    '| 字段 | 内容 | 敏感个人信息 | 处理目的 | 可见角色 | 保存期限 | 说明 |',
    '|---|---|---|---|---|---|---|',
    ...personal.map(row),
    '',
    '## 不含个人信息的字段',
    '',
    '| 字段 | 内容 |',
    '|---|---|',
    ...plain.map((name) => `| \`${name}\` | ${cell(inventory[name]!.holds)}${inventory[name]!.map ? '（键为数据而非字段名）' : ''} |`),
    '',
  ];
  return lines.join('\n');
}

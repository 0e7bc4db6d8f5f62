import { AppError } from '../errors.js';

/**
 * The rules of the procedure (shared/spec/domain.md R1–R16), each with the article it rests on and the
 * original words. A refused command throws `ruleError(...)`, which carries the rule id, the article and a
 * message in Chinese and English; HTTP turns it into problem details.
 */
export const RULES = {
  R1: { article: '第十一条', text: '责任追究机关在开展问责追责工作中，应当主动考察责任追究对象是否具备容错情形，对符合条件的，应当同步启动容错认定程序。' },
  R2: { article: '第十一条第二款', text: '责任追究机关作出处理决定前，责任追究对象所在党组织认为拟被问责追责行为符合容错条件的，应当向责任追究机关提出书面容错申请；责任追究对象认为自己符合容错条件的，也有权利向责任追究机关提出书面容错申请。' },
  R3: { article: '第十二条', text: '充分听取责任追究对象和相关单位的意见……涉及专业性或者技术性问题的，应当听取有关部门或者专家的意见。' },
  R4: { article: '第十三条', text: '责任追究机关在调查工作结束后，应当集体研究，综合考虑主客观因素……提出问责追责意见，并对其是否符合容错条件提出容错意见' },
  R5: { article: '第十条', text: '有下列情形之一的，不予容错：（一）违反政治纪律和政治规矩的；（二）为自己或者他人谋取不正当利益的；（三）造成重大责任事故、严重环境污染以及生态环境破坏，或者引发严重群体性事件的；（四）事后不积极整改纠错的。' },
  R6: { article: '第八条', text: '对干部在工作中出现的失误错误，符合下列情形之一的，……可以依照有关规定予以容错处理' },
  R7: { article: '第十三条第二款', text: '按照干部管理权限和处分权限，处理、处分需要报上级审批的，依照有关规定办理。' },
  R8: { article: '第十四条', text: '容错意见并入责任追究机关的问责追责相关文书中，不再单独制作。容错理由和容错依据应当单独形成书面材料，与有关证据材料一并归入问责追责案卷，留存备查。' },
  R9: { article: '第十五条', text: '责任追究机关应当依照有关规定宣布、送达问责追责处理决定，并向被问责追责干部及其所在党组织说明容错情况。' },
  R10: { article: '第十六条', text: '被问责追责干部对责任追究机关不予容错、容错减责等问责追责处理决定不服的，可以依照有关规定提出申诉。' },
  R14: { article: '第六条、第十一条', text: '容错纠错工作由党委（党组）及纪检监察机关、组织人事部门等相关职能部门按照管理权限实施。实行“谁问责追责、谁容错”。' },
  R15: { article: '第二十条', text: '严肃查处在容错纠错工作中徇私舞弊、以容错为借口故意包庇应当受到处理的干部等违纪违法行为，防止混淆问题性质、搞纪律“松绑”。' },
  R16: { article: '第十四条、第二十条', text: '与有关证据材料一并归入问责追责案卷，留存备查。' },
} as const;

export type RuleId = keyof typeof RULES;

/** A command refused by a rule: 422, code `RULE_<id>_<WHAT>`, the rule id, its article and the words. */
export function ruleError(rule: RuleId, what: string, message: string, messageEn: string, status = 422): AppError {
  return new AppError({
    code: `RULE_${rule}_${what}`,
    status,
    message: `${RULES[rule].article}：${message}`,
    messageEn,
    rule,
    article: RULES[rule].article,
  });
}

import type { Random } from './random.js';

/**
 * Fictional personal names that look like a real cadre directory: common surnames with roughly their real
 * frequency, a few compound surnames, one- and two-character given names — and the cases the product must keep
 * byte-exact (test/chinese-names.db.test.ts): characters outside the Basic Multilingual Plane (CJK Extensions B
 * and later, four bytes in UTF-8, two UTF-16 units), and minority names joined by the middle dot U+00B7.
 */

// Frequency per 1000 people, after the published surname counts; the tail is lumped into the last entries.
const SURNAMES: Readonly<Record<string, number>> = {
  王: 72, 李: 71, 张: 68, 刘: 54, 陈: 45, 杨: 32, 黄: 23, 赵: 22, 吴: 20, 周: 19, 徐: 17, 孙: 15, 马: 15, 朱: 13,
  胡: 13, 郭: 12, 何: 11, 林: 11, 罗: 10, 高: 10, 郑: 9, 梁: 9, 谢: 8, 宋: 7, 唐: 7, 许: 7, 韩: 7, 冯: 6, 邓: 6,
  曹: 6, 彭: 6, 曾: 5, 肖: 5, 田: 5, 董: 5, 袁: 5, 潘: 5, 于: 5, 蒋: 5, 蔡: 5, 余: 4, 杜: 4, 叶: 4, 程: 4, 苏: 4,
  魏: 4, 吕: 4, 丁: 4, 任: 4, 沈: 4, 姚: 3, 卢: 3, 姜: 3, 崔: 3, 钟: 3, 谭: 3, 陆: 3, 汪: 3, 范: 3, 金: 3, 石: 3,
  廖: 3, 贾: 3, 夏: 3, 韦: 3, 付: 3, 方: 3, 白: 3, 邹: 3, 孟: 3, 熊: 3, 秦: 3, 邱: 3, 江: 3, 尹: 3, 薛: 3, 闫: 2,
  段: 2, 雷: 2, 侯: 2, 龙: 2, 史: 2, 陶: 2, 黎: 2, 贺: 2, 顾: 2, 毛: 2, 郝: 2, 龚: 2, 邵: 2, 万: 2, 钱: 2, 严: 2,
  覃: 2, 武: 2, 戴: 2, 莫: 2, 孔: 2, 向: 2, 汤: 2, 常: 1, 温: 1, 康: 1, 施: 1, 文: 1, 牛: 1, 樊: 1, 葛: 1, 邢: 1,
  安: 1, 齐: 1, 易: 1, 乔: 1, 伍: 1, 庞: 1, 颜: 1, 倪: 1, 庄: 1, 聂: 1, 章: 1, 鲁: 1, 岳: 1, 翟: 1, 殷: 1, 詹: 1,
  申: 1, 欧: 1, 耿: 1, 关: 1, 兰: 1, 焦: 1, 俞: 1, 左: 1, 柳: 1, 甘: 1, 祝: 1, 包: 1, 宁: 1, 尚: 1, 符: 1, 舒: 1,
  欧阳: 0.6, 司马: 0.2, 上官: 0.2, 诸葛: 0.1, 东方: 0.1, 皇甫: 0.1, 令狐: 0.05, 慕容: 0.05, 尉迟: 0.03,
};

const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊辉鹏斌建国建华建军志强志明志刚海燕海涛海峰',
  ...'晓东晓明晓燕晓红晓丽文静文华文杰俊杰子涵浩然宇轩欣怡梓涵一诺思远佳怡雨桐嘉怡梦瑶子轩浩宇天佑博文晨阳立新立平德明秀珍',
  ...'国庆国栋永康永胜雪莲婉清慧敏海燕振华振宇丽华建新玉洁国强思雨婷婷庆林雅丽晓军文博志远佳宁建民慧敏',
].join('');
const GIVEN_CHARS = [...new Set([...GIVEN])];

/**
 * Characters of the Supplementary Ideographic Plane that occur in real names (the 通用规范汉字表 added several
 * for exactly that reason): 𠮷 (U+20BB7), 𬌗 (U+2C317), 𬀩 (U+2C029), 𬘡 (U+2C621), 𫖯 (U+2B5AF), 𬭚 (U+2CB5A),
 * 𬍛 (U+2C35B), 𫟹 (U+2B7F9), 𬱖 (U+2CC56), 𪨶 (U+2AA36).
 */
const SUPPLEMENTARY = ['𠮷', '𬌗', '𬀩', '𬘡', '𫖯', '𬭚', '𬍛', '𫟹', '𬱖', '𪨶'];

/** Uyghur, Kazakh and other names transcribed with the separator U+00B7, given name first, father's name second. */
const MINORITY_GIVEN = ['阿依古丽', '买买提', '艾力', '热依拉', '迪丽娜尔', '古丽娜尔', '阿不都', '吐尔逊', '努尔兰', '巴合提', '艾尔肯', '帕提古丽', '阿力木', '祖丽皮亚', '叶尔兰', '库尔班'];
const MINORITY_FATHER = ['买买提', '吐尔洪', '阿不力孜', '艾买提', '吐尔逊', '热合曼', '尼亚孜', '哈斯木', '沙吾提', '努尔', '托合提', '居马'];
export const MIDDLE_DOT = '\u00B7';

export function personName(random: Random): string {
  const roll = random.next();
  if (roll < 0.006) return `${random.pick(MINORITY_GIVEN)}${MIDDLE_DOT}${random.pick(MINORITY_FATHER)}`;
  const surname = random.weighted(SURNAMES);
  // Roughly one name in a thousand carries a supplementary-plane character, somewhere in the given name.
  const rare = roll < 0.007;
  const length = random.chance(0.22) ? 1 : 2;
  const given: string[] = [];
  for (let i = 0; i < length; i++) given.push(random.pick(GIVEN_CHARS));
  if (rare) given[random.int(given.length)] = random.pick(SUPPLEMENTARY);
  return surname + given.join('');
}

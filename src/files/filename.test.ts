import { describe, expect, it } from 'vitest';
import { cleanFilename, codePointLength, contentDisposition } from './filename.js';

describe('cleanFilename', () => {
  it('keeps the last path segment and the name byte for byte otherwise', () => {
    expect(cleanFilename('C:\\fakepath\\情况说明.pdf')).toBe('情况说明.pdf');
    expect(cleanFilename('../../etc/passwd.txt')).toBe('passwd.txt');
    expect(cleanFilename('阿卜杜·热合曼 𠀀.pdf')).toBe('阿卜杜·热合曼 𠀀.pdf');
  });

  it('drops controls and bidi overrides that could hide the real extension', () => {
    expect(cleanFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFilename('a\u0000b\r\n.pdf ')).toBe('ab.pdf');
    expect(cleanFilename('   ')).toBe('');
  });

  it('counts code points as PostgreSQL does', () => {
    expect(codePointLength('𠀀a')).toBe(2);
  });
});

describe('contentDisposition', () => {
  it('always says attachment, with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('情况说明 (1).pdf')).toBe(
      `attachment; filename="____ (1).pdf"; filename*=UTF-8''%E6%83%85%E5%86%B5%E8%AF%B4%E6%98%8E%20%281%29.pdf`,
    );
    expect(contentDisposition('a"b\\c\'d.txt')).toBe(`attachment; filename="a_b_c'd.txt"; filename*=UTF-8''a%22b%5Cc%27d.txt`);
  });
});

import { describe, expect, it } from 'vitest';
import { ALLOWED_EXTENSIONS, extensionOf, sniffAttachment } from './sniff.js';

const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n', 'latin1');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);

describe('sniffAttachment', () => {
  it('accepts each allowed type when extension and content agree, and reports the type from the content', () => {
    expect(sniffAttachment('证据.pdf', PDF)).toEqual({ ok: true, mediaType: 'application/pdf', extension: '.pdf' });
    expect(sniffAttachment('现场.PNG', PNG)).toEqual({ ok: true, mediaType: 'image/png', extension: '.png' });
    expect(sniffAttachment('a.jpg', JPEG)).toMatchObject({ ok: true, mediaType: 'image/jpeg' });
    expect(sniffAttachment('a.jpeg', JPEG)).toMatchObject({ ok: true, mediaType: 'image/jpeg' });
    expect(sniffAttachment('笔录.docx', ZIP)).toMatchObject({ ok: true, mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(sniffAttachment('台账.xlsx', ZIP)).toMatchObject({ ok: true, mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(sniffAttachment('说明.txt', Buffer.from('情况说明\r\n第一条\t𠀀\n'))).toMatchObject({ ok: true, mediaType: 'text/plain; charset=utf-8' });
  });

  it('refuses a program renamed .pdf: its content is no allowed type', () => {
    expect(sniffAttachment('合同.pdf', EXE)).toEqual({ ok: false, reason: 'content-not-allowed', extension: '.pdf' });
  });

  it('refuses an extension that does not match the content', () => {
    expect(sniffAttachment('photo.png', PDF)).toEqual({ ok: false, reason: 'mismatch', extension: '.png', content: 'PDF' });
    expect(sniffAttachment('notes.txt', PDF)).toMatchObject({ ok: false, reason: 'mismatch', content: 'PDF' });
    expect(sniffAttachment('scan.pdf', Buffer.from('just text'))).toMatchObject({ ok: false, reason: 'mismatch', content: '纯文本' });
    expect(sniffAttachment('report.docx', PDF)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('refuses extensions outside the list, a missing extension, and empty files', () => {
    expect(sniffAttachment('setup.exe', EXE)).toEqual({ ok: false, reason: 'extension-not-allowed', extension: '.exe' });
    expect(sniffAttachment('anim.gif', Buffer.from('GIF89a'))).toMatchObject({ reason: 'extension-not-allowed' });
    expect(sniffAttachment('README', Buffer.from('text'))).toEqual({ ok: false, reason: 'extension-not-allowed', extension: '' });
    expect(sniffAttachment('a.pdf', Buffer.alloc(0))).toEqual({ ok: false, reason: 'empty' });
    expect(ALLOWED_EXTENSIONS).toEqual(['.pdf', '.png', '.jpg', '.jpeg', '.docx', '.xlsx', '.txt']);
  });

  it('takes as text only valid UTF-8 without binary control characters', () => {
    expect(sniffAttachment('a.txt', Buffer.from([0xe4, 0xb8]))).toMatchObject({ reason: 'content-not-allowed' });
    expect(sniffAttachment('a.txt', Buffer.from('abc\u0000def'))).toMatchObject({ reason: 'content-not-allowed' });
    expect(sniffAttachment('a.txt', Buffer.from('\ufeffBOM then text'))).toMatchObject({ ok: true });
  });

  it('reads the extension after the last dot, ignoring a leading dot', () => {
    expect(extensionOf('a.tar.PDF')).toBe('.pdf');
    expect(extensionOf('.txt')).toBe('');
    expect(extensionOf('noext')).toBe('');
  });
});

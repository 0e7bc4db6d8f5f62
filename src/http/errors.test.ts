import { describe, expect, it } from 'vitest';
import { toProblem } from './errors.js';

describe('toProblem', () => {
  it('answers a full file store with 507 and says so, instead of an anonymous 500', () => {
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    expect(toProblem(error)).toMatchObject({ status: 507, code: 'STORAGE_FULL', type: 'urn:rongcuo:problem:STORAGE_FULL' });
    expect(toProblem(error).title).toMatch(/存储空间不足/);
  });

  it('keeps other errors without a status a 500 that reveals nothing', () => {
    expect(toProblem(new Error('secret detail'))).toEqual({ type: 'urn:rongcuo:problem:INTERNAL', title: '服务器内部错误', status: 500, detail: 'internal error', code: 'INTERNAL' });
  });
});

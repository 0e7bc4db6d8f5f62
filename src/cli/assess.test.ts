import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';

describe('rongcuo assess', () => {
  it('prints a binding not_tolerated quoting 第十条第（二）项 for an established improper benefit', async () => {
    const result = await runCli(['assess'], { input: '{"situations":["reform-pilot"],"exclusions":{"improper-benefit":true}}' });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ recommendation: 'not_tolerated', binding: true, excludedBy: ['improper-benefit'] });
    expect(output.trace).toContainEqual(expect.objectContaining({ article: '第十条第（二）项', text: '为自己或者他人谋取不正当利益的' }));
  });

  it('reads a file and honours --policy', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rongcuo-assess-'));
    const file = path.join(dir, 'input.json');
    await fs.writeFile(file, JSON.stringify({ situations: ['emergency'], factors: { 'motive.purpose': 'public' } }));
    const result = await runCli(['assess', '--policy', 'bj-2020', file]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).policy).toMatchObject({ id: 'bj-2020', version: '2020-06-28' });
    await fs.rm(dir, { recursive: true });
  });

  it('refuses an unknown factor value on stderr with the allowed values, exit 2', async () => {
    const result = await runCli(['assess'], { input: '{"situations":["reform-pilot"],"factors":{"motive.purpose":"selfless"}}' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const { error } = JSON.parse(result.stderr);
    expect(error).toMatchObject({ code: 'INVALID_FACTOR_VALUE', key: 'factors.motive.purpose', allowed: ['public', 'private-or-local', null] });
  });

  it('refuses an unknown policy and invalid JSON, exit 2', async () => {
    const unknown = await runCli(['assess', '--policy', 'sh-2030'], { input: '{"situations":[]}' });
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ code: 'UNKNOWN_POLICY', key: 'policy', allowed: ['bj-2020'] });
    const broken = await runCli(['assess'], { input: '{"situations": [' });
    expect(broken.code).toBe(2);
    expect(JSON.parse(broken.stderr).error.code).toBe('INVALID_JSON');
  });

  it('refuses an unknown option with the usage, exit 2', async () => {
    const result = await runCli(['assess', '--fast']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('未知选项 --fast');
  });
});

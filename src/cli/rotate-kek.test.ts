import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/env.js';
import { loadAppCrypto } from '../crypto/app-crypto.js';
import { loadKeyring } from '../crypto/keyring.js';
import { openFileStore } from '../files/open.js';
import { runRotateKek } from './rotate-kek.js';

describe('rongcuo rotate-kek', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'rongcuo-rotate-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('re-wraps every file under a new key while a server holding the old keyring keeps reading and writing', async () => {
    const config = loadConfig({ RONGCUO_DATA: dataDir });
    const serverCrypto = await loadAppCrypto(config);
    const server = openFileStore(config, serverCrypto);
    const before = await server.put(Buffer.from('轮换前的证据'));
    const oldKey = serverCrypto.secrets.keyring.currentId;

    const lines: string[] = [];
    expect(await runRotateKek(config, [], (l) => lines.push(l))).toBe(0);
    const newKey = (await loadKeyring(config.keyFile)).currentId;
    expect(newKey).not.toBe(oldKey);
    expect(lines.join('\n')).toContain('重新封装 1 个');
    expect(serverCrypto.secrets.kekIdOf(await readFile(server.pathOf(before.sha256)))).toBe(newKey);
    // The running server reads the re-wrapped file (it re-reads the key file for a key it does not know).
    expect((await server.get(before.sha256)).toString()).toBe('轮换前的证据');

    const after = await server.put(Buffer.from('轮换后的证据'));
    expect(await runRotateKek(config, ['--retire'], (l) => lines.push(l))).toBe(0);
    const keyring = await loadKeyring(config.keyFile);
    expect(keyring.ids()).toEqual([newKey]);
    const fresh = openFileStore(config, await loadAppCrypto(config));
    expect((await fresh.get(before.sha256)).toString()).toBe('轮换前的证据');
    expect((await fresh.get(after.sha256)).toString()).toBe('轮换后的证据');
  });

  it('refuses unknown arguments', async () => {
    await expect(runRotateKek(loadConfig({ RONGCUO_DATA: dataDir }), ['--now'], () => undefined)).rejects.toThrow('--now');
  });
});

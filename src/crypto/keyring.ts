import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { KEY_BYTES } from './provider.js';

/**
 * Key-encryption keys (KEK). They live outside the database — in a key file (mode 0600) or, in production, in
 * a file the organ's key management puts in place — so a copy of the database alone opens nothing. The file
 * holds every KEK still wrapping some data key; `current` wraps new ones. Rotation adds a key and makes it
 * current; re-wrapping then moves data keys to it; a key is retired only when nothing uses it.
 */
export interface Keyring {
  readonly currentId: string;
  key(id: string): Buffer | undefined;
  ids(): string[];
}

interface KeyringFile {
  current: string;
  keys: Record<string, string>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

function parseKeyring(text: string, source: string): Keyring {
  let parsed: KeyringFile;
  try {
    parsed = JSON.parse(text) as KeyringFile;
  } catch {
    throw new KeyringError(`${source} is not valid JSON`);
  }
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(parsed.keys ?? {})) {
    const key = Buffer.from(String(value), 'base64');
    if (!KEY_ID.test(id) || key.length !== KEY_BYTES) throw new KeyringError(`${source}: key "${id}" must be ${KEY_BYTES} bytes of base64 under a simple id`);
    keys.set(id, key);
  }
  if (!keys.has(parsed.current)) throw new KeyringError(`${source}: the current key "${String(parsed.current)}" is not among its keys`);
  return memoryKeyring(parsed.current, keys);
}

export function memoryKeyring(currentId: string, keys: Map<string, Buffer>): Keyring {
  return { currentId, key: (id) => keys.get(id), ids: () => [...keys.keys()] };
}

/** A keyring with one fresh key, held only in memory (tests, and tools that never persist). */
export function ephemeralKeyring(): Keyring {
  return memoryKeyring('k1', new Map([['k1', randomBytes(KEY_BYTES)]]));
}

async function writeKeyringFile(file: string, content: KeyringFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/** How often a running server looks at the key file for a rotation (another process may have added a key). */
const REFRESH_MS = 5_000;

/**
 * The keyring in `file`, created with one random key the first time (a new installation). It follows the file:
 * after `rongcuo rotate-kek` a running server seals new objects under the new key within seconds, and an
 * unknown key id makes it read the file again at once — rotation needs no restart.
 */
export async function loadKeyring(file: string, { create = true } = {}): Promise<Keyring> {
  try {
    await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw error;
    const id = `k${Date.now().toString(36)}`;
    await writeKeyringFile(file, { current: id, keys: { [id]: randomBytes(KEY_BYTES).toString('base64') } });
  }
  let loaded = parseKeyring(readFileSync(file, 'utf8'), file);
  let mtimeMs = statSync(file).mtimeMs;
  let checkedAt = Date.now();
  const reload = (force: boolean) => {
    if (!force && Date.now() - checkedAt < REFRESH_MS) return;
    checkedAt = Date.now();
    const mtime = statSync(file).mtimeMs;
    if (mtime !== mtimeMs) {
      loaded = parseKeyring(readFileSync(file, 'utf8'), file);
      mtimeMs = mtime;
    }
  };
  return {
    get currentId() {
      reload(false);
      return loaded.currentId;
    },
    key(id) {
      if (!loaded.key(id)) reload(true);
      return loaded.key(id);
    },
    ids: () => loaded.ids(),
  };
}

/** Adds a new key and makes it current; earlier keys stay until nothing is wrapped under them. */
export async function addKeyringKey(file: string): Promise<Keyring> {
  const content = JSON.parse(await readFile(file, 'utf8')) as KeyringFile;
  let id = `k${Date.now().toString(36)}`;
  while (content.keys[id]) id = `${id}x`;
  content.keys[id] = randomBytes(KEY_BYTES).toString('base64');
  content.current = id;
  await writeKeyringFile(file, content);
  return parseKeyring(await readFile(file, 'utf8'), file);
}

/** Removes every key but the current one and those in `keep` (the ids some envelope still uses). */
export async function retireKeyringKeys(file: string, keep: readonly string[]): Promise<string[]> {
  const content = JSON.parse(await readFile(file, 'utf8')) as KeyringFile;
  const retired = Object.keys(content.keys).filter((id) => id !== content.current && !keep.includes(id));
  for (const id of retired) delete content.keys[id];
  await writeKeyringFile(file, content);
  return retired;
}

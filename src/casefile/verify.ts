import { sql } from 'kysely';
import { verifyChain } from '../audit/verify.js';
import type { Db } from '../db/connect.js';
import { digestHex, HEX_256, itemDigest, MANIFEST_PATH, manifestHash, parseManifest, pathKey, type HashAlgorithm } from './manifest.js';
import { openZip } from './zip.js';

export { NotAZipError } from './zip.js';

export type CaseFileProblemKind = 'missing' | 'altered' | 'unexpected' | 'manifest-not-sealed' | 'manifest-mismatch' | 'chain-broken';

export interface CaseFileProblem {
  /** The path inside the zip the problem concerns (`manifest.json` for the manifest and its seal). */
  path: string;
  problem: CaseFileProblemKind;
  /** In Chinese, for the person checking. */
  message: string;
}

export interface CaseFileVerification {
  ok: boolean;
  /** From the manifest; null when the manifest is missing or unreadable. */
  caseId: string | null;
  /** The hash of manifest.json as found in the zip; null when there is none. */
  manifestSha256: string | null;
  /** Manifest items compared with the zip's entries. */
  checkedItems: number;
  /** What the manifest was checked against. */
  anchor: { expectedManifestSha256?: string; database?: boolean };
  problems: CaseFileProblem[];
}

export interface VerifyCaseFileOptions {
  /** Offline: the manifest hash as obtained elsewhere (a printed seal record, another system). */
  expectedManifestSha256?: string;
  /** Online: the database whose `case_files` row and audit chain vouch for the manifest. */
  db?: Db;
}

const short = (hex: string) => `${hex.slice(0, 16)}…`;

/**
 * Checks an exported case file: every item against the manifest (hash and size; missing items and extra files
 * are named), then the manifest itself — against a given hash (offline) and/or against the database: the
 * sealed `case_files` row, a `case.file-sealed` event of the case carrying the same hash, and an intact chain
 * (which proves that event untouched). Throws NotAZipError when the bytes are not a zip at all.
 */
export async function verifyCaseFile(zip: Buffer, options: VerifyCaseFileOptions): Promise<CaseFileVerification> {
  if (options.expectedManifestSha256 === undefined && options.db === undefined) {
    throw new TypeError('verifyCaseFile needs expectedManifestSha256 or db to check the manifest against');
  }
  const expected = options.expectedManifestSha256?.toLowerCase();
  if (expected !== undefined && !HEX_256.test(expected)) throw new TypeError('expectedManifestSha256 is not a 64-digit hex digest');

  const opened = openZip(zip);
  const problems: CaseFileProblem[] = [];
  const anchor = { ...(expected !== undefined ? { expectedManifestSha256: expected } : {}), ...(options.db ? { database: true } : {}) };
  const result = (caseId: string | null, manifestSha256: string | null, checkedItems: number): CaseFileVerification => ({
    ok: problems.length === 0,
    caseId,
    manifestSha256,
    checkedItems,
    anchor,
    problems,
  });

  for (const name of opened.duplicates) {
    problems.push({ path: name, problem: 'unexpected', message: `压缩包中“${name}”出现不止一次：无法确定哪一份是封存的文件` });
  }

  const manifestEntry = opened.entries.get(MANIFEST_PATH);
  const manifestRead = manifestEntry?.read();
  if (!manifestEntry || !manifestRead?.ok) {
    problems.push({
      path: MANIFEST_PATH,
      problem: manifestEntry ? 'altered' : 'missing',
      message: manifestEntry ? `清单无法读取（${manifestRead && !manifestRead.ok ? manifestRead.reason : ''}）` : '压缩包中没有清单 manifest.json：这不是完整的案卷',
    });
    return result(null, null, 0);
  }
  const manifestBytes = manifestRead.bytes;
  const parsed = parseManifest(manifestBytes.toString('utf8'));
  // The algorithm is the manifest's own claim: an unreadable manifest is hashed with SHA-256 for the report.
  const algorithm: HashAlgorithm = parsed.ok ? parsed.manifest.algorithm : 'sha256';
  const sha = manifestHash(manifestBytes, algorithm);
  if (!parsed.ok) {
    problems.push({ path: MANIFEST_PATH, problem: 'manifest-mismatch', message: `清单无法识别：${parsed.reason}` });
    if (expected !== undefined && sha !== expected) problems.push(offlineMismatch(sha, expected));
    return result(null, sha, 0);
  }
  const { manifest } = parsed;

  // Items: each listed file present, with the sealed size and hash.
  const listed = new Set<string>([MANIFEST_PATH]);
  for (const item of manifest.items) {
    listed.add(item.path);
    const entry = opened.entries.get(item.path);
    if (!entry) {
      problems.push({ path: item.path, problem: 'missing', message: `缺少文件“${item.path}”（清单中列明，压缩包中没有）` });
      continue;
    }
    const read = entry.read();
    if (!read.ok) {
      problems.push({ path: item.path, problem: 'altered', message: `文件“${item.path}”已损坏，无法读取（${read.reason}）` });
      continue;
    }
    const want = itemDigest(item, algorithm)!;
    const got = digestHex(algorithm, read.bytes);
    if (got !== want || read.bytes.length !== item.size) {
      const sizeNote = read.bytes.length !== item.size ? `大小 ${read.bytes.length} 字节，封存时为 ${item.size} 字节；` : '';
      problems.push({
        path: item.path,
        problem: 'altered',
        message: `文件“${item.path}”与封存时不一致：${sizeNote}哈希 ${short(got)}，封存时为 ${short(want)}`,
      });
    }
  }
  const listedKeys = new Set([...listed].map(pathKey));
  for (const name of [...opened.entries.keys()].sort()) {
    if (listed.has(name)) continue;
    const collides = listedKeys.has(pathKey(name));
    problems.push({
      path: name,
      problem: 'unexpected',
      message: collides ? `多出文件“${name}”：与清单中的文件仅大小写或字形不同，解压时可能覆盖封存的文件` : `多出文件“${name}”：清单中没有此文件`,
    });
  }

  // The manifest itself.
  if (expected !== undefined && sha !== expected) problems.push(offlineMismatch(sha, expected));
  if (options.db) problems.push(...(await checkAgainstDatabase(options.db, manifest.caseId, sha)));

  return result(manifest.caseId, sha, manifest.items.length);
}

function offlineMismatch(actual: string, expected: string): CaseFileProblem {
  return {
    path: MANIFEST_PATH,
    problem: 'manifest-mismatch',
    message: `清单哈希 ${actual} 与给定的哈希 ${expected} 不符：清单被改动，或不是这份案卷的清单`,
  };
}

async function checkAgainstDatabase(db: Db, caseId: string, sha: string): Promise<CaseFileProblem[]> {
  const problems: CaseFileProblem[] = [];
  const sealed = await db.selectFrom('case_files').select(['manifest_sha256']).where('case_id', '=', caseId).executeTakeFirst();
  // jsonb ->> keeps the lookup in the database; case events are few, and this index-served scan is per case.
  const events = await db
    .selectFrom('events')
    .select(['seq', sql<string | null>`payload ->> 'manifestSha256'`.as('manifest_sha256')])
    .where('case_id', '=', caseId)
    .where('type', '=', 'case.file-sealed')
    .orderBy('seq')
    .execute();

  if (!sealed && events.length === 0) {
    problems.push({ path: MANIFEST_PATH, problem: 'manifest-not-sealed', message: `数据库中没有案件 ${caseId} 的封存记录：案卷未封存，或不属于此数据库` });
  } else {
    if (!sealed) {
      problems.push({ path: MANIFEST_PATH, problem: 'manifest-not-sealed', message: `数据库中没有案件 ${caseId} 的案卷封存记录（case_files），但审计链中有封存事件` });
    } else if (sealed.manifest_sha256 !== sha) {
      problems.push({
        path: MANIFEST_PATH,
        problem: 'manifest-mismatch',
        message: `清单哈希 ${sha} 与数据库中封存的 ${sealed.manifest_sha256} 不符：清单被改动`,
      });
    }
    if (!events.some((e) => e.manifest_sha256 === sha)) {
      const sealedHashes = events.map((e) => e.manifest_sha256).filter((h): h is string => typeof h === 'string');
      problems.push(
        sealedHashes.length === 0
          ? { path: MANIFEST_PATH, problem: 'manifest-not-sealed', message: `审计链中没有案件 ${caseId} 的案卷封存事件（case.file-sealed）` }
          : {
              path: MANIFEST_PATH,
              problem: 'manifest-mismatch',
              message: `清单哈希 ${sha} 与审计链中封存事件记录的 ${sealedHashes.join('、')} 不符：清单被改动`,
            },
      );
    }
  }

  const chain = await verifyChain(db);
  if (!chain.ok) {
    problems.push({
      path: MANIFEST_PATH,
      problem: 'chain-broken',
      message: `审计哈希链断裂，封存事件的可信度无法确认：${chain.firstBreak?.message ?? ''}`,
    });
  }
  return problems;
}

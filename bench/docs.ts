import path from 'node:path';
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import type { Actor } from '../src/access/actor.js';
import { verifyChain } from '../src/audit/verify.js';
import { systemClock, type Clock } from '../src/clock.js';
import { issueDocument } from '../src/commands/issue-document.js';
import { ephemeralAppCrypto } from '../src/crypto/app-crypto.js';
import type { Db } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { seedDemo } from '../src/db/seed-demo.js';
import { loadDocument } from '../src/documents/data.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../src/documents/kinds.js';
import { defaultTemplate, renderDocument } from '../src/documents/render.js';
import { docxText } from '../src/documents/text.js';
import { LocalFileStore } from '../src/files/store.js';
import type { BenchRow } from './table.js';
import { scratchDatabase } from './scratch-database.js';

const ROUNDS = 5;
const ROUND_MS = 700;
const ISSUE_MS = 4000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Job {
  kind: DocumentKind;
  template: Buffer;
  data: Record<string, unknown>;
}

/** docxtemplater on its own, as its documentation shows it: the floor under the product's rendering. */
function renderRaw(template: Buffer, data: Record<string, unknown>): Buffer {
  const doc = new Docxtemplater(new PizZip(template), { paragraphLoop: true, linebreaks: true });
  doc.render(data);
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

// Written to, so the work being timed cannot be dropped.
let sink = 0;

/** Documents per second, cycling through the jobs (every kind once per pass) until `durationMs` has passed. */
function rate(jobs: readonly Job[], render: (template: Buffer, data: Record<string, unknown>) => Buffer, durationMs: number): number {
  let documents = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (const job of jobs) sink += render(job.template, job.data).length;
    documents += jobs.length;
    elapsed = performance.now() - started;
  } while (elapsed < durationMs);
  return (documents * 1000) / elapsed;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

async function handlerOf(db: Db, organId: string): Promise<Actor> {
  const user = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['users.id', 'users.username', 'users.display_name'])
    .where('user_roles.role', '=', 'handler')
    .where('user_roles.organization_id', '=', organId)
    .executeTakeFirstOrThrow();
  const roles = await db.selectFrom('user_roles').select(['role', 'organization_id']).where('user_id', '=', user.id).execute();
  return { userId: user.id, username: user.username, displayName: user.display_name, officialId: null, roles: roles.map((r) => ({ role: r.role, organizationId: r.organization_id })) };
}

/**
 * Official documents (.docx) per second. The case is the demo's one whose appeal has been decided, so it is ready
 * for all six kinds (decision, tolerance reasons, the two explanations, the receipt of service, the appeal
 * decision); each kind's fields are loaded from its record once, and the shipped templates read once.
 *
 * - The product's rendering (`renderDocument`: opening the template, collecting and checking its tags, filling
 *   it with the missing-field guard, writing the .docx) against docxtemplater rendering the same template with
 *   the same data and options directly, measured in alternating rounds; both must give the same bytes.
 * - Informational: the whole `issueDocument` command, one document per call in its own transaction — the case
 *   locked, access checked, the organ's 文号 counter, the fields loaded from the record, rendering, the file
 *   sealed at rest (SM4 envelope under the `gm` provider) and fsynced, the document row and its audit event.
 *   Each call moves the clock on one day, so every document differs (its date) and is really written. No PDF:
 *   LibreOffice runs only when a PDF is asked for.
 */
export async function benchDocs(): Promise<BenchRow[]> {
  const scratch = await scratchDatabase('docs');
  const { dir, handle } = scratch;
  try {
    await migrate(handle.pool);
    const crypto = ephemeralAppCrypto('gm');
    const files = new LocalFileStore(path.join(dir, 'files'), { cipher: crypto.secrets });
    await seedDemo(handle.db, systemClock, files, crypto);
    const db = handle.db;
    const kase = await db.selectFrom('cases').select(['id', 'organ_id']).where('state', '=', 'appeal-decided').orderBy('opened_at').executeTakeFirstOrThrow();

    const issuedAt = new Date();
    const jobs: Job[] = [];
    for (const kind of DOCUMENT_KINDS) {
      const { data } = await loadDocument(db, kase.id, kind, { number: '东城区纪委监委容〔2026〕88号', issuedAt });
      jobs.push({ kind, template: defaultTemplate(kind), data });
    }
    for (const job of jobs) {
      // The floor does exactly the product's work, no less: the same document, byte for byte.
      const product = renderDocument(job.template, job.data);
      if (!product.equals(renderRaw(job.template, job.data))) throw new Error(`${job.kind}: docxtemplater alone gave other bytes than renderDocument`);
      if (!docxText(product).includes('东城区纪委监委容〔2026〕88号') && job.kind !== 'service-receipt') throw new Error(`${job.kind}: the document lacks its number`);
    }
    const bytes = jobs.reduce((sum, job) => sum + renderDocument(job.template, job.data).length, 0) / jobs.length;

    rate(jobs, renderDocument, ROUND_MS);
    rate(jobs, renderRaw, ROUND_MS);
    const productRates: number[] = [];
    const rawRates: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await pause();
      let product: number;
      let raw: number;
      if (round % 2 === 0) {
        product = rate(jobs, renderDocument, ROUND_MS);
        raw = rate(jobs, renderRaw, ROUND_MS);
      } else {
        raw = rate(jobs, renderRaw, ROUND_MS);
        product = rate(jobs, renderDocument, ROUND_MS);
      }
      productRates.push(product);
      rawRates.push(raw);
      ratios.push(product / raw);
    }
    if (sink < 0) console.log(sink);

    // ---- the whole command ----
    const actor = await handlerOf(db, kase.organ_id);
    let day = 0;
    const clock: Clock = { now: () => new Date(issuedAt.getTime() + day * 86_400_000) };
    const issue = (kind: DocumentKind) => issueDocument({ db, clock, actor, files, caseId: kase.id, kind });
    await issue('decision'); // warm-up
    const seqBefore = BigInt((await db.selectFrom('chain_head').select('seq').executeTakeFirstOrThrow()).seq);
    let issued = 0;
    const started = performance.now();
    do {
      day++;
      await issue(DOCUMENT_KINDS[issued % DOCUMENT_KINDS.length]!);
      issued++;
    } while (performance.now() - started < ISSUE_MS);
    const issueRate = (issued * 1000) / (performance.now() - started);
    const seqAfter = BigInt((await db.selectFrom('chain_head').select('seq').executeTakeFirstOrThrow()).seq);
    if (seqAfter - seqBefore !== BigInt(issued)) throw new Error(`expected ${issued} audit events for ${issued} documents, found ${seqAfter - seqBefore}`);
    const chain = await verifyChain(db);
    if (!chain.ok) throw new Error(`the audit chain does not verify after issuing: ${JSON.stringify(chain.firstBreak)}`);

    const product = median(productRates);
    const raw = median(rawRates);
    const ratio = median(ratios);
    return [
      {
        figure: `documents rendered by renderDocument (6 kinds, one appeal-decided demo case, ~${Math.round(bytes / 1024)} KiB .docx), median of ${ROUNDS} rounds`,
        value: product,
        unit: 'docs/s',
        limit: raw,
        limitLabel: 'docxtemplater alone, same template and data',
        ratio,
      },
      { figure: 'docxtemplater alone (PizZip + render + DEFLATE), same bytes out', value: raw, unit: 'docs/s' },
      { figure: `issueDocument end to end (DB, 文号, sealed + fsynced file, audit event), ${issued} documents`, value: issueRate, unit: 'docs/s' },
      { figure: 'time per issued document', value: 1000 / issueRate, unit: 'ms' },
    ];
  } finally {
    await scratch.close();
  }
}

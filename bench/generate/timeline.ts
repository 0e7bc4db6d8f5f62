import type { EventType } from '../../src/audit/event-types.js';
import { beijingDay } from '../../src/followup/dates.js';
import { CaseEventLog } from './casefile.js';
import type { ChainBuilder, ChainedEvent } from './chain.js';
import type { Row, Spool, SpooledTable } from './copy.js';
import type { CaseStory } from './cases.js';
import type { Organization } from './organizations.js';
import type { Recorder, StoredContent } from './story.js';

/**
 * Runs the steps of every story in calendar order — one clock for the whole world, as the demo seed replays its
 * stories — so that events get their seq in the order things happened, document numbers are allocated per organ
 * and year in the order documents were issued, and a file first stored by one case is the one later cases find.
 *
 * Stories are too many to keep in memory at once (each holds its steps and the state its commands read back), so
 * the caller plans each one once only to learn when it opens, passes the openings in that order, and a story is
 * built again — identically, from its own seeded stream — when its time comes; it leaves memory when its last step
 * has run. What is in memory at any moment is the cases open at that moment: months of cases, not years.
 */
export class Timeline implements Recorder {
  now = new Date(0);
  private readonly eventLogs = new Map<string, CaseEventLog>();
  private requests = 0;
  private readonly storedFiles = new Set<string>();
  private readonly numbers = new Map<string, { organ: Organization; year: number; last: number }>();

  constructor(
    private readonly spool: Spool,
    private readonly chain: ChainBuilder,
  ) {}

  at(moment: number | Date): this {
    this.now = new Date(moment);
    return this;
  }

  event(type: EventType, actor: string, caseId: string | null, payload: Record<string, unknown>): ChainedEvent {
    const chained = this.chain.append({ type, actor, caseId, at: this.now, payload });
    this.spool.write('events', { ...chained, seq: chained.seq.toString() });
    if (caseId !== null) this.eventLogs.get(caseId)?.add(chained);
    return chained;
  }

  write<T extends SpooledTable>(table: T, row: Row<T>): void {
    this.spool.write(table, row);
  }

  useFile(file: StoredContent): void {
    if (this.storedFiles.has(file.sha256)) return;
    this.storedFiles.add(file.sha256);
    this.spool.write('files', { sha256: file.sha256, size: file.size, media_type: file.mediaType, stored_at: this.now });
  }

  /** Content that is new by construction (a document's own placeholder): its `files` row, without remembering it. */
  storeNewFile(file: StoredContent): void {
    this.spool.write('files', { sha256: file.sha256, size: file.size, media_type: file.mediaType, stored_at: this.now });
  }

  documentNumber(organ: Organization): string {
    // The year as the organ reads its calendar: Beijing time (document-number.ts).
    const year = Number(beijingDay(this.now).slice(0, 4));
    const key = `${organ.id}:${year}`;
    let counter = this.numbers.get(key);
    if (!counter) this.numbers.set(key, (counter = { organ, year, last: 0 }));
    counter.last += 1;
    return `${organ.shortName}容〔${year}〕${counter.last}号`;
  }

  caseEventLog(caseId: string): CaseEventLog {
    const log = this.eventLogs.get(caseId);
    if (!log) throw new Error(`case ${caseId} is not open on the timeline`);
    return log;
  }

  requestId(): string {
    this.requests += 1;
    return `req-${this.requests.toString(36)}`;
  }

  /** The counters the documents used, as `document_numbers` holds them. */
  writeDocumentNumbers(): void {
    for (const { organ, year, last } of this.numbers.values()) this.spool.write('document_numbers', { organ_id: organ.id, year, last });
  }

  /**
   * Runs the stories. `openings` lists every story's opening moment and index, in the order stories are opened;
   * `build` makes a story when its time comes.
   */
  runStories(openings: readonly { at: number; index: number }[], build: (index: number) => CaseStory, onProgress?: (done: number) => void): void {
    const heap = new StepHeap();
    let next = 0;
    let done = 0;
    for (;;) {
      const top = heap.peek();
      const opening = openings[next];
      if (opening && (!top || opening.at < top.at || (opening.at === top.at && opening.index < top.story.index))) {
        const story = build(opening.index);
        if (story.openedAt !== opening.at) throw new Error(`story ${opening.index} rebuilt differently (opened ${story.openedAt}, planned ${opening.at})`);
        this.eventLogs.set(story.id, new CaseEventLog());
        heap.push({ at: story.steps[0]!.at, story, step: 0 });
        next++;
        continue;
      }
      if (!top) break;
      heap.pop();
      this.at(top.at);
      top.story.steps[top.step]!.run(this);
      if (top.step + 1 < top.story.steps.length) {
        heap.push({ at: top.story.steps[top.step + 1]!.at, story: top.story, step: top.step + 1 });
      } else {
        top.story.finish(this);
        this.eventLogs.delete(top.story.id);
        done++;
        if (onProgress && done % 10_000 === 0) onProgress(done);
      }
    }
  }
}

interface Pending {
  at: number;
  story: CaseStory;
  step: number;
}

/** A binary min-heap on (moment, case index): ties go to the case opened first, so the order never depends on chance. */
class StepHeap {
  private readonly items: Pending[] = [];

  private static before(a: Pending, b: Pending): boolean {
    return a.at < b.at || (a.at === b.at && a.story.index < b.story.index);
  }

  peek(): Pending | undefined {
    return this.items[0];
  }

  push(item: Pending): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!StepHeap.before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Pending | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && StepHeap.before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && StepHeap.before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

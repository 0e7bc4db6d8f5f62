import type { EventType } from '../../src/audit/event-types.js';
import type { CaseState } from '../../src/cases/procedure.js';
import type { CaseEventLog } from './casefile.js';
import type { ChainedEvent } from './chain.js';
import type { Row, SpooledTable } from './copy.js';
import type { Organization } from './organizations.js';
import type { Random } from './random.js';

/**
 * A case's story: the steps it goes through, each at its own moment, each writing what the product's command
 * for that step writes (rows and one audit event). Stories are planned on a calendar of their own — day 0 is the
 * day the case is opened, steps fall in office hours (09:00–17:00 Beijing) — and placed in time once it is known
 * where the dataset's "now" must find the case. The timeline (timeline.ts) then runs the steps of every story in
 * calendar order, as the demo seed replays its stories, so the audit chain reads in time order.
 */

/** What a step writes through: the timeline's spool files and the chain, at the step's moment. */
export interface Recorder {
  readonly now: Date;
  event(type: EventType, actor: string, caseId: string | null, payload: Record<string, unknown>): ChainedEvent;
  write<T extends SpooledTable>(table: T, row: Row<T>): void;
  /** The `files` row of stored content, written at its first use (the commands insert it ON CONFLICT DO NOTHING). */
  useFile(file: StoredContent): void;
  /** The `files` row of content that is new by construction (a document's own bytes): nothing to look up. */
  storeNewFile(file: StoredContent): void;
  /** The organ's next document number (文号) of the year, allocated in calendar order without gaps. */
  documentNumber(organ: Organization): string;
  /** The events of a case so far, as its case file lists them (events.jsonl). */
  caseEventLog(caseId: string): CaseEventLog;
  /** The id Fastify gives the next request (`req-1`, `req-2`… in base 36), for the access events of reads. */
  requestId(): string;
}

export interface StoredContent {
  sha256: string;
  size: number;
  mediaType: string;
}

export type StepRun = (recorder: Recorder) => void;

interface PlannedStep {
  day: number;
  /** Minutes after midnight, Beijing. */
  minute: number;
  order: number;
  run: StepRun;
}

export interface Step {
  at: number;
  run: StepRun;
}

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const OFFICE_OPENS = 9 * 60;
const OFFICE_MINUTES = 8 * 60;

/** The Beijing calendar day number (days since 1970-01-01 in Beijing) of an instant. */
export const beijingDayNumber = (at: number): number => Math.floor((at + BEIJING_OFFSET_MS) / DAY_MS);
/** Minutes after Beijing midnight of an instant. */
export const beijingMinute = (at: number): number => Math.floor(((at + BEIJING_OFFSET_MS) % DAY_MS) / MINUTE_MS);

/**
 * The story's own calendar. Steps are added with the day they happen on; the minute within office hours is
 * drawn here, and the main-path state each step leaves is recorded, so that `place` can find the days on which
 * the story stands in a given state.
 */
export class StoryCalendar {
  private readonly steps: PlannedStep[] = [];
  private readonly transitions: { day: number; minute: number; state: CaseState }[] = [];

  constructor(private readonly random: Random) {}

  /** Adds a step; returns its moment on the story's calendar, for steps that must come after it on the same day. */
  add(day: number, run: StepRun, options: { state?: CaseState; after?: { day: number; minute: number } } = {}): { day: number; minute: number } {
    let minute = OFFICE_OPENS + this.random.int(OFFICE_MINUTES);
    if (options.after && options.after.day === day && minute <= options.after.minute) minute = options.after.minute + 1;
    this.steps.push({ day, minute, order: this.steps.length, run });
    if (options.state) this.transitions.push({ day, minute, state: options.state });
    return { day, minute };
  }

  /** The main-path state at that minute of that story day. */
  stateAt(day: number, minute: number): CaseState | undefined {
    let state: CaseState | undefined;
    for (const t of this.transitions) {
      if (t.day < day || (t.day === day && t.minute <= minute)) state = t.state;
    }
    return state;
  }

  /**
   * The story days D on which "now" (at `minute` of the day) finds the story in `target`; the caller opens the
   * case D days before now. For the last state (closed) only the first days after it are listed: any later day
   * would do as well, and the caller draws from those.
   */
  daysIn(target: CaseState, minute: number): number[] {
    const last = this.transitions.at(-1)?.day ?? 0;
    const days: number[] = [];
    for (let day = 0; day <= last + 1; day++) if (this.stateAt(day, minute) === target) days.push(day);
    return days;
  }

  /** The steps placed in time, the story opened `openDay` (a Beijing day number). */
  place(openDay: number): Step[] {
    const start = openDay * DAY_MS - BEIJING_OFFSET_MS;
    return [...this.steps]
      .sort((a, b) => a.day - b.day || a.minute - b.minute || a.order - b.order)
      .map((step) => ({ at: start + step.day * DAY_MS + step.minute * MINUTE_MS, run: step.run }));
  }
}

// The shapes of a policy pack (one jurisdiction's measures at one version, pure data) and of the engine's
// input and output. Stored assessments, the API and the CLI depend on these: change them only additively.

export type Recommendation = 'exempt' | 'reduced' | 'not_tolerated';

/** Which way a factor value points. */
export type Pole = 'favourable' | 'unfavourable';

/** An article reference as the text writes it, e.g. `第八条` or `第八条第（二）项`. */
export type ArticleRef = string;

export interface ArticleItem {
  /** `（一）` */
  readonly number: string;
  /** The item's text, verbatim, without its number. */
  readonly text: string;
}

/** One article of the original text, verbatim. */
export interface Article {
  /** `第八条` */
  readonly number: string;
  /** The first paragraph (the lead sentence when the article has items). */
  readonly lead: string;
  /** The numbered items `（一）…`, in order; empty when the article has none. */
  readonly items: readonly ArticleItem[];
  /** Paragraphs after the lead and the items. */
  readonly rest: readonly string[];
  /** The whole article: lead, items (each with its number) and the other paragraphs, one per line. */
  readonly text: string;
}

export interface Situation {
  readonly id: string;
  readonly article: ArticleRef;
  /** The item's original words. */
  readonly text: string;
}

export interface Exclusion {
  readonly id: string;
  readonly article: ArticleRef;
  readonly text: string;
}

/** One of the assessment dimensions a factor belongs to (the prefix of its id). */
export interface Dimension {
  readonly id: string;
  /** Chinese name, e.g. `考察动机态度`. */
  readonly name: string;
  readonly article: ArticleRef;
}

export interface QuotedText {
  readonly article: ArticleRef;
  readonly text: string;
}

export interface FactorValue {
  readonly id: string;
  readonly pole: Pole;
  /** A decisive value decides the guidance on its own (not_tolerated), before any counting. */
  readonly decisive: boolean;
  /** The original words for this value. */
  readonly words: string;
  /** Where the words are. */
  readonly article: ArticleRef;
  /** For decisive values: the passage that sets the value apart. */
  readonly basis?: QuotedText;
  /** Coding guidance shown next to the value (Chinese). */
  readonly guidance?: string;
}

export interface Factor {
  /** `dimension.name`, e.g. `motive.purpose`. */
  readonly id: string;
  readonly dimension: string;
  readonly article: ArticleRef;
  /** In order; the first is the favourable pole. */
  readonly values: readonly FactorValue[];
}

/**
 * Factors that count together as one: favourable when any member has a favourable value, unfavourable only
 * when every member has an unfavourable value, unknown otherwise. Counts once.
 */
export interface FactorGroup {
  readonly id: string;
  readonly members: readonly string[];
  readonly article: ArticleRef;
  readonly text: string;
}

export interface FactorValueRef {
  readonly factor: string;
  readonly value: string;
}

export type OffsetCondition =
  | { readonly kind: 'group-favourable'; readonly group: string }
  | { readonly kind: 'factor-value'; readonly factor: string; readonly value: string };

export interface OffsetReason {
  readonly when: OffsetCondition;
  /** The rule's article and original words, quoted in the trace when it applies. */
  readonly article: ArticleRef;
  readonly text: string;
}

/** `factor = value` is left out of the count when a good motive is established and any reason holds. */
export interface OffsetRule {
  readonly factor: string;
  readonly value: string;
  /** Checked in order; the first that holds is the one quoted. */
  readonly reasons: readonly OffsetReason[];
}

export interface GoodMotiveRule {
  /** Established when any of these holds. */
  readonly anyOf: readonly FactorValueRef[];
  readonly article: ArticleRef;
  readonly text: string;
}

/** A situation that the factors contradict; reported, never silently resolved. */
export interface Contradiction {
  /** The warning code. */
  readonly code: string;
  readonly situation: string;
  readonly factor: string;
  readonly value: string;
  readonly article: ArticleRef;
  readonly text: string;
  /** The warning message (Chinese). */
  readonly message: string;
}

export interface Outcome {
  readonly id: Recommendation;
  /** `容错免责` … */
  readonly label: string;
  readonly article: ArticleRef;
  readonly text: string;
}

/** How a guidance step appears in the trace: its label and the article and words it rests on. */
export interface GuidanceStep {
  readonly step: string;
  readonly article: ArticleRef;
  readonly text: string;
}

export interface Guidance {
  /** Step 1 (binding): any exclusion established true. */
  readonly exclusions: GuidanceStep;
  /** Step 2 (binding): at least one situation must be established. */
  readonly situations: GuidanceStep;
  /** Step 3: any decisive value. */
  readonly decisive: GuidanceStep;
  /** Step 4: offsets, under a good motive. */
  readonly offsets: GuidanceStep;
  /** Step 5: count the remaining unfavourable factors. */
  readonly count: GuidanceStep & {
    /** count ≤ exemptAtMost → exempt; ≤ reducedAtMost → reduced; otherwise not_tolerated. */
    readonly exemptAtMost: number;
    readonly reducedAtMost: number;
  };
  /** Step 6: exempt needs a good motive. */
  readonly motiveFirst: GuidanceStep & { readonly enabled: boolean };
  /** Warning when an exempt rests on too few dimensions. */
  readonly thinBasis: {
    readonly code: string;
    readonly minDimensions: number;
  };
}

/** How the input's parts are named in messages, e.g. `第九条因素`. */
export interface InputNouns {
  readonly situation: string;
  readonly exclusion: string;
  readonly factor: string;
}

export interface PolicyPack {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly issuer: string;
  /** ISO date (YYYY-MM-DD), the first day in force. */
  readonly effectiveFrom: string;
  /** ISO date, the first day no longer in force. */
  readonly effectiveTo?: string;
  /** IANA zone whose calendar dates effectiveFrom/effectiveTo are; UTC when absent. */
  readonly timeZone?: string;
  readonly articles: readonly Article[];
  readonly nouns: InputNouns;
  readonly outcomes: Readonly<Record<Recommendation, Outcome>>;
  /** Each in the order of the published tables; output arrays follow these orders. */
  readonly situations: readonly Situation[];
  readonly exclusions: readonly Exclusion[];
  readonly dimensions: readonly Dimension[];
  readonly factors: readonly Factor[];
  readonly groups: readonly FactorGroup[];
  readonly goodMotive: GoodMotiveRule;
  readonly offsets: readonly OffsetRule[];
  readonly contradictions: readonly Contradiction[];
  readonly guidance: Guidance;
}

// ---- engine input and output ----

export type ExclusionValue = boolean | null;

/** One assessment. Absent exclusions and factors are unknown (null). */
export interface AssessmentInput {
  readonly policy?: string;
  readonly situations: readonly string[];
  readonly exclusions?: Readonly<Record<string, ExclusionValue | undefined>>;
  readonly factors?: Readonly<Record<string, string | null | undefined>>;
}

/** Stable effect strings of trace entries. */
export type TraceEffect =
  | 'not_tolerated'
  | 'eligible'
  | 'not_eligible'
  | 'contradiction'
  | 'good_motive'
  | 'offset'
  | 'exempt'
  | 'reduced'
  | 'capped_by_motive';

// A type alias rather than an interface, so it also fits schemas that allow extra keys (index signatures).
export type TraceEntry = {
  /** The guidance step's label from the pack, e.g. `art10`. */
  step: string;
  article: ArticleRef;
  /** The original words the entry rests on. */
  text: string;
  effect: TraceEffect;
  /** The situation, exclusion or factor id concerned. */
  subject?: string;
  /** The factor value concerned. */
  value?: string;
  /** For the count entry: how many unfavourable factors were counted. */
  count?: number;
  /** Plain Chinese explanation for the UI. */
  note: string;
};

export interface AssessmentWarning {
  code: string;
  message: string;
}

export interface AssessmentResult {
  policy: { id: string; version: string; title: string };
  recommendation: Recommendation;
  binding: boolean;
  complete: boolean;
  missing: string[];
  excludedBy: string[];
  situations: string[];
  favourable: string[];
  unfavourable: string[];
  decisive: string[];
  offset: string[];
  warnings: AssessmentWarning[];
  trace: TraceEntry[];
}

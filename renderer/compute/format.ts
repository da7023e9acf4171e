// Words and tones the screens use for the engine's enumerations, in one place so every panel says
// the same thing for the same value (and colour is never the only carrier of meaning).
import { ACCOUNT_CLASSES, type AccountClass } from '../../models/index.ts';

export type Tone = 'good' | 'warn' | 'bad' | 'muted' | 'info';

export type Outcome = 'not_applicable' | 'blocked' | 'takeover_detected' | 'takeover_undetected';

/** Label, tone and glyph of a scenario or path outcome. */
export const OUTCOMES: Record<Outcome, { label: string; short: string; tone: Tone; glyph: string }> = {
  blocked: { label: 'Blocked', short: 'blocked', tone: 'good', glyph: '■' },
  takeover_detected: { label: 'Takeover, detected', short: 'detected', tone: 'warn', glyph: '▲' },
  takeover_undetected: { label: 'Takeover, undetected', short: 'undetected', tone: 'bad', glyph: '●' },
  not_applicable: { label: 'Not applicable', short: 'n/a', tone: 'muted', glyph: '–' },
};

export type StageOutcome = Outcome | 'not_analysed';

/** Label, tone and glyph of a campaign stage's outcome: a scenario outcome, or a stage not analysed. */
export const STAGE_OUTCOMES: Record<StageOutcome, { label: string; short: string; tone: Tone; glyph: string }> = {
  ...OUTCOMES,
  not_analysed: { label: 'Not analysed', short: 'not analysed', tone: 'muted', glyph: '○' },
};

/** How bad an outcome is, for sorting and for "better/worse" in what-if comparisons. */
export const OUTCOME_SEVERITY: Record<Outcome, number> = { not_applicable: 0, blocked: 1, takeover_detected: 2, takeover_undetected: 3 };

export type Verdict = 'satisfied' | 'defeated' | 'skipped' | 'waived' | 'not_applicable' | 'unmet';

export const VERDICTS: Record<Verdict, { label: string; tone: Tone }> = {
  satisfied: { label: 'held', tone: 'good' },
  unmet: { label: 'held', tone: 'good' },
  defeated: { label: 'defeated', tone: 'bad' },
  skipped: { label: 'skipped', tone: 'bad' },
  waived: { label: 'waived', tone: 'warn' },
  not_applicable: { label: 'not applicable', tone: 'muted' },
};

export type GapStatus = 'absent' | 'weak' | 'not_enforced' | 'waived' | 'insufficient' | 'misplaced' | 'flawed';

export const GAP_STATUS: Record<GapStatus, { label: string; tone: Tone; help: string }> = {
  absent: { label: 'absent', tone: 'bad', help: 'not on this path at all' },
  weak: { label: 'weak', tone: 'bad', help: 'on the path, defeated through its parameters' },
  not_enforced: { label: 'not enforced', tone: 'warn', help: 'on the path as a procedure the agent could skip' },
  waived: { label: 'waived', tone: 'warn', help: 'on the path, waived by an exception' },
  insufficient: { label: 'insufficient', tone: 'warn', help: 'on the path, but it detects only after the attacker reaches its objective' },
  misplaced: { label: 'misplaced', tone: 'warn', help: 'present, but not where it would act on this path' },
  flawed: { label: 'flawed', tone: 'bad', help: 'present, but passed through a known flaw of the check (a bypass or a forceable fallback): fix the flaw' },
};

export type Effect = 'blocks' | 'blocks_jointly' | 'detects' | 'contributes';

/** What a control would do to a class of paths, in words. */
export const EFFECTS: Record<Effect, { label: string; tone: Tone; help: string }> = {
  blocks: { label: 'blocks', tone: 'good', help: 'closes every path of the class on its own' },
  blocks_jointly: { label: 'blocks jointly', tone: 'good', help: 'closes paths of the class together with the other controls of its combination' },
  detects: { label: 'detects', tone: 'info', help: 'turns the undetected takeovers of the class into detected ones' },
  contributes: { label: 'contributes', tone: 'muted', help: 'takes away a means the attacker used, without closing the path on its own' },
};

/** Short name of an account class for tight places (edge labels, chips); shared with the graph layout. */
export { classShort } from '../../models/index.ts';

/** Full name of an account class; shared with the analysis's texts. */
export { accountClassName as className } from '../../models/index.ts';

/** "standard-password-reset" -> "Standard password reset". */
export function familyTitle(family: string): string {
  const s = family.replace(/[-_]+/g, ' ').trim();
  return s ? s[0]!.toUpperCase() + s.slice(1) : family;
}

/** "s09b-two-agent-identities" -> "S09b". */
export function scenarioCode(id: string): string {
  const m = /^s(\d+[a-z]?)\b/i.exec(id);
  return m ? `S${m[1]}` : id;
}

/** A share as a percentage with no false precision ("8%", "0.5%"). */
export function percent(share: number): string {
  const p = share * 100;
  return `${p >= 10 || Number.isInteger(p) ? Math.round(p) : p.toFixed(1)}%`;
}

/** Milliseconds for a status line ("1.4 ms", "23 ms"). */
export function ms(value: number): string {
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/** Hours as a readable delay ("30 min", "4 h", "3 d"). */
export function hours(h: number): string {
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
  return `${Math.round(h / 24)} d`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A count as a short phrase for tight lines: exact and grouped up to 12 digits ("9,444"), else its
 * order of magnitude only ("9.4 x 10^21", as formatCount writes it). The exact number goes in a title.
 */
export function roughCount(c: string | number | bigint): string {
  const s = BigInt(c).toString();
  if (s.length <= 12) return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${s[0]}.${s[1]} x 10^${s.length - 1}`;
}

/** Largest count a badge shows digit for digit; beyond it, mantissa and exponent. */
const COMPACT_MAX = 99_999n;

/**
 * An exact count in a few characters, for badges and tags: "13", "65536", then "1.6e7", "1.0e22"
 * (leading digits, never rounded up, as formatCount's order of magnitude). The exact number goes in
 * the title next to it.
 */
export function compactCount(c: string | number | bigint): string {
  const n = BigInt(c);
  if (n <= COMPACT_MAX) return n.toString();
  const s = n.toString();
  return `${s[0]}.${s[1]}e${s.length - 1}`;
}

/** Pretty label for an AccountClass value known to the vocabulary. */
export function isAccountClass(c: string): c is AccountClass {
  return c in ACCOUNT_CLASSES;
}

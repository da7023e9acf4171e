// The validated scenario that replay and exploration run.
import type { AccountClass, Capability, StepKind, TakeoverKind } from '../models/index.ts';
import type { AttackChannel, MOVES } from './schema.ts';

export interface Move {
  move: (typeof MOVES)[number];
  channel?: AttackChannel;
  claim?: AccountClass;
  exception?: string;
  /** present_evidence: the kinds of step the evidence answers; the tabletop quotes it only there. */
  at?: StepKind[];
  /** The attacker's words to the desk, verbatim: the tabletop quotes them to the room. */
  say?: string;
  /** What happens, for the trace and the facilitator; never shown to the room. */
  narration?: string;
}

export interface Inject {
  atMinute: number;
  title: string;
  text: string;
  decision?: { prompt: string; options: string[] };
  /** What the inject presupposes; absent: nothing (it holds for any workflow and walk). */
  assumes?: InjectAssumes;
}

/** What a timed inject presupposes (docs/analysis-semantics.md, "Tabletop exercises"). */
export interface InjectAssumes {
  /** The inject describes the aftermath of a takeover (true also when `detected` is). */
  takeover: boolean;
  /** The inject describes the takeover being detected in time. */
  detected: boolean;
  /** Catalogue controls the workflow must have somewhere. */
  controls: string[];
  /** Kinds of step the workflow must have. */
  stepKinds: StepKind[];
}

/** How an attacker goes about one takeover: channels, claims, retry budget, exceptions, moves. */
export interface Strategy {
  channels: AttackChannel[];
  claims: AccountClass[];
  retries: number;
  exceptions: ('request' | 'use_standing')[];
  moves: Move[];
}

/** A further takeover of a campaign, using what the takeover before it gave the attacker. */
export interface CampaignStage {
  name: string;
  /** Capabilities the previous stage's takeover gives (added to everything the attacker held). */
  gains: Capability[];
  /** Id of the workflow the stage goes through; null: the workflow being analysed. */
  workflow: string | null;
  /** Days between the takeover of the stage before and this stage's request; null: not stated. */
  afterDays: number | null;
  target: { accountClass: AccountClass; description?: string };
  strategy: Strategy;
}

export interface Scenario {
  id: string;
  name: string;
  summary?: string;
  reference?: string;
  attackTechniques: string[];
  examples: { name: string; year?: number; source?: string; confidence?: 'C' | 'C2' | 'U' }[];
  attacker: {
    name: string;
    capabilities: Capability[];
    /** With contact_prepositioned: days since the target's contact on file was changed to the attacker's. */
    contactChangedDaysAgo: number | null;
    /** Hours from takeover to the attacker's objective; detection slower than this comes too late (null: no bound). */
    timeToObjectiveHours: number | null;
    /** What the attacker is after (docs/analysis-semantics.md, "Takeover kinds"); absent: whatever the account yields. */
    objective?: TakeoverKind;
  };
  target: { accountClass: AccountClass; description?: string };
  strategy: Strategy;
  /** Campaign stages after the scenario's own takeover (stage 1); absent for a single takeover. */
  then?: CampaignStage[];
  injects: Inject[];
  file: string;
}

/** Capabilities that give the attacker an agent identity of their own. */
export const AGENT_CAPABILITIES: readonly Capability[] = ['agent_account_compromised', 'agent_account_taken_over', 'agent_session_hijacked', 'insider_bribed_agent', 'multiple_agent_accounts', 'support_platform_credential_leaked'];

/**
 * Capabilities that let the attacker direct the real account holder (posing as support by phone, or
 * by chat or collaboration-tool message): the holder then performs steps for the attacker.
 */
export const HOLDER_DIRECTING_CAPABILITIES: readonly Capability[] = ['victim_vishing', 'support_impersonation_chat'];

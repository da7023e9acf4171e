// Compiles a validated workflow into an XState v5 machine that reads as its specification:
// controls become named guards (questions), audit records become named actions (verbs).
import { and, assign, setup } from 'xstate';
import type { AccountClass, RequestChannel, StepKind } from '../vocabulary.ts';
import type { Step, Workflow } from './types.ts';

/** A control's verdict as carried by an event; every verdict but "unmet" lets the transition through. */
export type Verdict = 'satisfied' | 'defeated' | 'skipped' | 'waived' | 'not_applicable' | 'unmet';

export interface AuditEntry {
  step: string;
  action: string;
  event: string;
  detail?: string;
}

export interface WorkflowContext {
  targetClass: AccountClass | null;
  claimedClass: AccountClass | null;
  /** A request channel, or agent_console when an agent opened it. */
  channel: string | null;
  activeExceptions: string[];
  audit: AuditEntry[];
}

export type WorkflowEvent =
  | { type: 'request.received'; channel: RequestChannel | 'agent_console'; targetClass: AccountClass; claimedClass: AccountClass; verdicts?: Record<string, Verdict> }
  | { type: string; verdicts?: Record<string, Verdict>; exception?: string; detail?: string; channel?: undefined; claimedClass?: AccountClass };

/** Event names per step kind: [pass event, fail event]. */
export const STEP_EVENTS: Record<StepKind, readonly [string, string | null]> = {
  intake: ['request.received', 'request.rejected'],
  routing: ['', null],
  proofing: ['proofing.passed', 'proofing.failed'],
  step_up: ['step_up.passed', 'step_up.failed'],
  callback: ['callback.confirmed', 'callback.failed'],
  approval: ['approval.granted', 'approval.refused'],
  exception: ['exception.granted', 'exception.refused'],
  execution: ['reset.executed', 'reset.refused'],
  notification: ['notification.sent', null],
  logging: ['record.written', null],
  review: ['review.completed', null],
  end: ['', null],
};

/** The record each kind of step writes when it is passed. */
const STEP_ACTIONS: Record<StepKind, string> = {
  intake: 'recordRequest',
  routing: 'recordRouting',
  proofing: 'recordVerification',
  step_up: 'recordStepUp',
  callback: 'recordCallback',
  approval: 'recordApproval',
  exception: 'grantException',
  execution: 'recordExecution',
  notification: 'recordNotification',
  logging: 'recordLogEntry',
  review: 'recordReview',
  end: 'recordClosure',
};

/** Guard names per control: each reads as a question about the request. */
export const CONTROL_GUARDS: Record<string, string> = {
  'proofing.ial2': 'isIdentityProofed',
  'callback.number_on_file': 'isCallbackToNumberOnFileConfirmed',
  'approval.manager': 'isApprovedByManager',
  'approval.dual': 'isApprovedByTwoDistinctApprovers',
  'step_up.verification': 'isSteppedUpWithBoundFactor',
  'privileged.separate_path': 'isExecutorAllowedForAccountClass',
  'cooldown.delay': 'hasCoolingOffElapsedUnchallenged',
  'recovery.self_service_strong': 'isRecoveredWithStrongFactor',
  'ticket.integrity': 'isRequesterAuthenticated',
  'nhi.rotation': 'isRequestedByAuthenticatedOwner',
  'consent.app_restriction': 'isAppApprovedForUserConsent',
  'remote_support.restricted': 'isRemoteHelperSanctioned',
};

/** Synthetic final states for requests the workflow refuses or cannot route. */
export const REFUSED = '__refused';
export const UNROUTED = '__unrouted';

const passes = (v: Verdict | undefined) => v !== undefined && v !== 'unmet';

/** Compiles the workflow into an XState machine (the same machine is used for replay). */
export function compileWorkflow(wf: Workflow) {
  const guardImpl = ({ event }: { event: WorkflowEvent }, params: { instance: string }) => passes(event.verdicts?.[params.instance]);
  const guards: Record<string, typeof guardImpl> = {};
  for (const name of Object.values(CONTROL_GUARDS)) guards[name] = guardImpl;
  const record = (action: string) =>
    assign({
      audit: ({ context, event }: { context: WorkflowContext; event: WorkflowEvent }, params: { step: string }) => [
        ...context.audit,
        { step: params.step, action, event: event.type, ...('detail' in event && event.detail ? { detail: String(event.detail) } : {}) },
      ],
    });

  const actions = Object.fromEntries(Object.values(STEP_ACTIONS).map((a) => [a, record(a)]));

  return setup({
    types: {
      context: {} as WorkflowContext,
      events: {} as WorkflowEvent,
    },
    guards: {
      ...guards,
      isRoutedClass: ({ context }, params: { classes: AccountClass[]; basis: 'directory' | 'caller_claim' }) => {
        const cls = params.basis === 'caller_claim' ? context.claimedClass : context.targetClass;
        return cls !== null && params.classes.includes(cls);
      },
    },
    actions: {
      ...actions,
      acceptRequest: assign({
        targetClass: ({ event }) => ('targetClass' in event ? (event.targetClass as AccountClass) : null),
        claimedClass: ({ event }) => ('claimedClass' in event ? (event.claimedClass as AccountClass) : null),
        channel: ({ event }) => ('channel' in event && event.channel ? String(event.channel) : null),
      }),
      grantException: assign({
        activeExceptions: ({ context }, params: { step: string; exception?: string }) =>
          params.exception ? [...context.activeExceptions, params.exception] : context.activeExceptions,
        audit: ({ context, event }, params: { step: string; exception?: string }) => [
          ...context.audit,
          { step: params.step, action: 'grantException', event: event.type, ...(params.exception ? { detail: params.exception } : {}) },
        ],
      }),
      changeClaim: assign({
        claimedClass: ({ context, event }) => ('claimedClass' in event && event.claimedClass ? (event.claimedClass as AccountClass) : context.claimedClass),
        audit: ({ context, event }) => [...context.audit, { step: '', action: 'changeClaim', event: event.type, ...('claimedClass' in event && event.claimedClass ? { detail: String(event.claimedClass) } : {}) }],
      }),
    },
  }).createMachine({
    id: wf.id,
    initial: wf.start,
    context: { targetClass: null, claimedClass: null, channel: null, activeExceptions: [], audit: [] },
    // A caller who tries again may claim another class: a desk routing by the claim then routes by the new one.
    on: { 'request.claimed': { actions: 'changeClaim' } },
    states: {
      ...Object.fromEntries(wf.stepOrder.map((id) => [id, stateFor(wf.steps[id]!)])),
      [REFUSED]: { type: 'final' },
      [UNROUTED]: { type: 'final' },
    },
  });
}

function stateFor(step: Step): Record<string, unknown> {
  const params = { step: step.id };
  if (step.kind === 'end') return { type: 'final', entry: { type: 'recordClosure', params } };
  if (step.kind === 'routing') {
    return {
      always: [
        ...step.routes.map((r) => ({
          guard: { type: 'isRoutedClass', params: { classes: r.classes, basis: step.basis } },
          target: r.to,
          actions: { type: 'recordRouting', params },
        })),
        { target: UNROUTED },
      ],
    };
  }
  const [passEvent, failEvent] = STEP_EVENTS[step.kind];
  const guardList = step.controls
    .filter((c) => CONTROL_GUARDS[c.control])
    .map((c) => ({ type: CONTROL_GUARDS[c.control]!, params: { instance: c.key } }));
  const passActions: unknown[] = [];
  if (step.kind === 'intake') passActions.push({ type: 'acceptRequest' });
  passActions.push(
    step.kind === 'exception'
      ? { type: 'grantException', params: { step: step.id, ...(step.grants ? { exception: step.grants } : {}) } }
      : { type: STEP_ACTIONS[step.kind], params },
  );
  const on: Record<string, unknown> = {
    [passEvent]: {
      target: step.next,
      ...(guardList.length === 1 ? { guard: guardList[0] } : guardList.length > 1 ? { guard: and(guardList) } : {}),
      actions: passActions,
    },
  };
  if (failEvent) on[failEvent] = { target: step.onFail ?? REFUSED };
  return { on };
}

export type WorkflowMachine = ReturnType<typeof compileWorkflow>;

// Whether an attacker can open a request on a channel of a workflow, and why not when it cannot.
import { channelName } from '../models/index.ts';
import type { AttackChannel, AttackContext, Prepared } from '../scenarios/index.ts';

/** Whether the attacker can open a request on this channel, with the reason when it cannot. */
export function channelOpenFor(prep: Prepared, ctx: AttackContext, channel: AttackChannel): { open: boolean; reason: string } {
  const start = prep.wf.steps[prep.wf.start]!;
  if (channel === 'agent_console') {
    const actor = start.actor ? prep.wf.actors[start.actor] : undefined;
    if (ctx.agentIdentities > 0 && actor?.kind === 'agent' && actor.operator !== 'platform_support' && (!ctx.providerOnly || actor.operator === 'outsourced' || actor.operator === 'unknown')) return { open: true, reason: '' };
    return {
      open: false,
      reason:
        ctx.agentIdentities === 0
          ? ctx.caps.has('agent_account_compromised') || ctx.caps.has('support_platform_credential_leaked')
            ? ctx.caps.has('agent_account_compromised')
              ? 'the compromised agent password is useless: agents sign in with phishing-resistant authentication'
              : 'the leaked support-platform credential is useless: phishing-resistant agent MFA covers service accounts and API tokens too'
            : 'the attacker holds no agent identity'
          : actor?.kind === 'agent' && actor.operator === 'platform_support'
            ? 'requests are opened by a platform\'s support team, which no agent identity of the organisation acts as'
            : actor?.kind === 'agent'
            ? 'the stolen provider password works only at the provider\'s desks: the organisation\'s own agents sign in with phishing-resistant MFA'
            : 'requests are not opened by agents in this workflow',
    };
  }
  // An intake that may accept channels the file does not know is open on every channel (conditionally).
  if (start.kind !== 'intake' || start.channels.includes(channel) || start.channels.includes('unknown')) return { open: true, reason: '' };
  return { open: false, reason: `the workflow does not accept requests by ${channelName(channel)} (it accepts ${start.channels.map(channelName).join(', ')})` };
}

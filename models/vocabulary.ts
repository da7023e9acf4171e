// The closed vocabularies every workflow, scenario and report is written in.
// Ids are public: files, reports and saved workspaces refer to them, so never rename one.

/** Account classes a workflow can serve; routing decides which path each one follows. */
export const ACCOUNT_CLASSES = {
  standard_employee: { name: 'Standard employee', privileged: false, blastRadius: ['mailbox', 'sso_applications'] },
  privileged_admin: {
    name: 'Privileged administrator',
    privileged: true,
    blastRadius: ['admin_console', 'identity_provider_configuration', 'other_users_credentials'],
  },
  executive: { name: 'Executive / VIP', privileged: true, blastRadius: ['mailbox', 'payment_approvals', 'sso_applications'] },
  developer: { name: 'Developer', privileged: false, blastRadius: ['source_code', 'ci_secrets', 'sso_applications'] },
  remote_staff: { name: 'Remote staff', privileged: false, blastRadius: ['vpn_access', 'mailbox', 'sso_applications'] },
  vendor: { name: 'Third-party vendor', privileged: false, blastRadius: ['customer_tenant_access'] },
  shared_mailbox: { name: 'Shared mailbox', privileged: false, blastRadius: ['mailbox', 'services_registered_to_mailbox'] },
  service_account: {
    name: 'Service account / non-human identity',
    privileged: true,
    blastRadius: ['api_keys', 'production_data', 'downstream_integrations'],
  },
  support_agent: {
    name: 'Help-desk / support agent',
    privileged: true,
    blastRadius: ['support_console', 'other_users_credentials', 'customer_records'],
  },
  customer: { name: 'Customer', privileged: false, blastRadius: ['customer_account', 'personal_data', 'stored_payment_methods'] },
  high_value_customer: {
    name: 'High-value customer',
    privileged: true,
    blastRadius: ['customer_account', 'personal_data', 'stored_payment_methods', 'high_value_funds'],
  },
} as const;
export type AccountClass = keyof typeof ACCOUNT_CLASSES;
export const ACCOUNT_CLASS_IDS = Object.keys(ACCOUNT_CLASSES) as AccountClass[];

/**
 * Classes of the organisation's customers, not its staff: a customer has no manager in the directory,
 * so a manager's approval or a notice to a manager does not exist for them (docs/analysis-semantics.md,
 * "Customer accounts"). A high-value customer (large balances, funds that can be moved) is privileged:
 * its takeover is high-impact, so the privileged path, the privileged review rate and
 * `--fail-on privileged` apply to it.
 */
export const CUSTOMER_CLASSES: readonly AccountClass[] = ['customer', 'high_value_customer'];

/** True when the class is a customer class (no manager, not an employee). */
export function isCustomerClass(c: AccountClass): boolean {
  return CUSTOMER_CLASSES.includes(c);
}

/** True when a takeover of this class counts as privileged (used by `--fail-on privileged`). */
export function isPrivilegedClass(c: AccountClass): boolean {
  return ACCOUNT_CLASSES[c].privileged;
}

/**
 * Attacker capabilities. Each control in the catalogue lists the capabilities that defeat it,
 * so this list is shared by models/ (catalogue) and scenarios/ (attacker profiles).
 */
export const CAPABILITIES = {
  osint_personal_data: 'Knows the target\'s personal data (DOB, employee ID, manager, last digits of national ID) from OSINT or breaches',
  caller_id_spoofing: 'Spoofs the caller ID shown to the desk',
  sim_swap: 'Controls the target\'s phone number (SIM swap or port-out)',
  voice_clone: 'Clones the target\'s voice in real time',
  video_deepfake: 'Passes a live video check with a deepfake of the target',
  stolen_id_document: 'Holds a stolen or forged identity document of the target',
  victim_password_known: 'Already knows the target\'s current password (phishing, infostealer, reuse)',
  victim_vishing: 'Can phone the target posing as IT and get a push approved, a one-time code read out, or the target to act for it (approve an app, start a remote-support session)',
  agent_account_compromised: 'Holds the credentials of one help-desk agent account',
  agent_account_taken_over: 'Holds a help-desk agent account taken over through a reset, its authenticators included (gained in a campaign stage)',
  agent_session_hijacked: 'Controls a help-desk agent\'s signed-in session or workstation (remote control of the agent\'s device, a stolen agent session): it acts as that agent without signing in, so no sign-in factor stops it',
  multiple_agent_accounts: 'Controls two or more distinct help-desk agent identities',
  queue_ticket_injection: 'Can create or edit tickets in the support queue (mail-to-ticket, API token, portal)',
  insider_bribed_agent: 'Has bribed an insider help-desk agent',
  victim_mailbox_control: 'Controls the target\'s mailbox',
  contact_prepositioned: 'Had the target\'s mobile number and recovery email on file changed to its own earlier (a pre-positioning request); how long ago is the scenario\'s contact_changed_days_ago',
  manager_mailbox_control: 'Controls the target\'s manager\'s mailbox',
  log_tampering: 'Can edit or delete the records of the reset',
  urgency_pressure: 'Applies urgency pressure on the agent (deadline, outage, travel)',
  authority_pressure: 'Applies authority pressure (poses as an executive, threatens escalation)',
  support_impersonation_chat: 'Messages the target in chat or a collaboration tool (a Teams or Slack message from "IT Help Desk") posing as support, and gets them to act on its instructions: approve a prompt, paste a code, approve an app, start a remote-support session',
  synced_authenticator_seed: 'Holds the target\'s TOTP seeds through the cloud account the authenticator app syncs them to (taken over or read from an infostealer log): it generates every current code',
  stolen_session: 'Holds a stolen signed-in session of the target (session cookie or token from an infostealer, a HAR file in a support ticket): it acts as the signed-in user without re-authenticating',
  support_platform_credential_leaked: 'Holds a leaked credential of the support platform (a service-account password or an API token of the ticketing or CRM tool): it signs in as one agent identity, and sees what that identity sees',
  mfa_push_fatigue: 'Floods the target with push prompts (or calls to say "approve to stop them") until one plain approve/deny push is approved',
  otp_relay_phishing: 'Runs a real-time phishing relay (adversary in the middle): the target types a one-time code, or approves a number-matched push, on the attacker\'s page, which relays it at once',
  forged_id_document: 'Presents a forged physical identity document in the target\'s name that carries the attacker\'s own photo',
  camera_injection: 'Injects a synthetic video stream into the camera feed of a remote selfie or video check (virtual camera, emulator): with video_deepfake, the liveness challenges are answered by its deepfake as if by a live camera',
} as const;
export type Capability = keyof typeof CAPABILITIES;
export const CAPABILITY_IDS = Object.keys(CAPABILITIES) as Capability[];

/** Kinds of workflow step; the catalogue says at which kinds each control may sit. */
export const STEP_KINDS = [
  'intake',
  'routing',
  'proofing',
  'step_up',
  'callback',
  'approval',
  'exception',
  'execution',
  'notification',
  'logging',
  'review',
  'end',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * What an execution step hands over; reaching one for the attacker is a takeover. `bindsAuthenticator`:
 * the action gives the attacker a sign-in factor of the account (an enrolled device, a temporary
 * access pass), not only a secret that the account's own MFA still guards.
 */
export const RESET_ACTIONS = {
  password_reset: { name: 'Password reset', unlocks: [] as string[], bindsAuthenticator: false },
  mfa_device_enrollment: { name: 'MFA device re-enrollment', unlocks: ['persistent_second_factor'], bindsAuthenticator: true },
  recovery_channel_change: { name: 'Recovery channel change', unlocks: ['future_resets_via_recovery_channel'], bindsAuthenticator: false },
  temporary_access_pass: { name: 'Temporary access pass', unlocks: ['device_registration'], bindsAuthenticator: true },
  account_unlock: { name: 'Account unlock', unlocks: [] as string[], bindsAuthenticator: false },
  api_key_reissue: { name: 'API key / token re-issue', unlocks: ['api_keys'], bindsAuthenticator: false },
  // Grants the account holder makes to a client (docs/analysis-semantics.md, "The genuine user acting
  // for the attacker"): a token for a connected app, control of the holder's signed-in desktop.
  oauth_app_consent: { name: 'Connected-app / OAuth consent', unlocks: ['app_access_token', 'data_via_api'], bindsAuthenticator: false },
  remote_support_session: { name: 'Remote-support session with control', unlocks: ['interactive_session_on_user_device'], bindsAuthenticator: false },
  // A mobile carrier moves the customer's number to a new SIM or eSIM (or ports it out): the requester
  // then receives the number's calls and texts. Done by a carrier's desk, it gives a later campaign
  // stage sim_swap (docs/analysis-semantics.md, "Desk operators").
  sim_change: { name: 'SIM change / number port-out', unlocks: ['phone_number'], bindsAuthenticator: false },
} as const;
export type ResetAction = keyof typeof RESET_ACTIONS;
export const RESET_ACTION_IDS = Object.keys(RESET_ACTIONS) as ResetAction[];

/** How the new credential reaches whoever asked for it. */
export const DELIVERY_CHANNELS = [
  'requester_on_call', // read out or shown to the requester in the session
  'requester_enrolls_device', // the requester enrols a device of their choice
  'email_on_file',
  'sms_on_file',
  'ticket', // pasted into the ticket
  'owner_pipeline', // only the authenticated owner's pipeline receives it (NHI)
  'in_person',
  'requesting_client', // the client that asked for the grant: the connected app, the remote-support helper
] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/**
 * Request channels at intake. `unknown`: the intake may accept requests on channels the file does not
 * know (an undocumented back channel); an attacker may then open a request on any channel of its
 * strategy, and every path so opened is conditional (docs/analysis-semantics.md, "Unknowns"). An
 * attacker never uses the channel `unknown` itself.
 */
export const REQUEST_CHANNELS = ['phone', 'chat', 'email', 'ticket_portal', 'self_service', 'walk_in', 'unknown'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

const CHANNEL_NAMES: Record<string, string> = {
  ticket_portal: 'ticket portal',
  self_service: 'self-service',
  walk_in: 'walk-in',
  agent_console: 'agent console',
  unknown: 'an undocumented channel',
};

/** An account class in words, for people ("Standard employee"); an unknown id with its underscores as spaces. */
export function accountClassName(c: string): string {
  return (ACCOUNT_CLASSES as Record<string, { name: string }>)[c]?.name ?? c.replace(/_/g, ' ');
}

/** A request or attack channel in words, for people ("walk-in", "self-service"). */
export function channelName(channel: string): string {
  return CHANNEL_NAMES[channel] ?? channel.replace(/_/g, ' ');
}

/** Addresses a notification can go to. */
export const NOTIFY_CHANNELS = ['email_on_file', 'sms_on_file', 'manager_email', 'app_push', 'postal'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/** Accountable owner roles; each control names exactly one. */
export const OWNER_ROLES = {
  proofing_standards_owner: 'Owner of identity-proofing standards for reset requests (IAM)',
  approval_rules_owner: 'Owner of approval rules for privileged and high-risk accounts (access governance)',
  escalation_owner: 'Owner of escalation thresholds and exception handling (service-desk management)',
  logging_owner: 'Owner of immutable logging of who requested, who approved, when and why (security logging)',
  review_owner: 'Owner of post-event review of resets (IAM governance / internal control)',
  authentication_owner: 'Owner of authenticators, sessions and recovery factors (IAM platform)',
  detection_owner: 'Owner of detection and response rules (SOC)',
  service_desk_owner: 'Owner of help-desk agent access, tooling and training (service-desk management)',
  supplier_owner: 'Owner of outsourced-desk contracts and oversight (vendor management)',
  nhi_owner: 'Owner of service accounts and secrets lifecycle (platform / NHI governance)',
} as const;
export type OwnerRole = keyof typeof OWNER_ROLES;

/**
 * What a takeover yields, in increasing order of impact (`rank`). A kind is within reach of a
 * takeover when the target class's blast radius (`ACCOUNT_CLASSES`) holds one of its `assets`;
 * `sign_in_only` always is. docs/analysis-semantics.md, "Takeover kinds", states how a scenario's
 * objective picks one.
 */
export const TAKEOVER_KINDS = {
  sign_in_only: {
    name: 'Sign-in only',
    rank: 0,
    description: 'The attacker signs in as the account and reaches what the account itself holds (its mail, its applications); no tool, customer data or payment authority',
    assets: [] as string[],
  },
  read_only_tool_access: {
    name: 'Tool or console access',
    rank: 1,
    description: 'The account opens an internal tool or console (support console, admin console, identity-provider configuration, source code, secrets): at least a view of it, and as much control as the account holds there (an administrator\'s: other accounts and the configuration)',
    assets: ['support_console', 'admin_console', 'identity_provider_configuration', 'source_code', 'ci_secrets', 'api_keys', 'downstream_integrations'],
  },
  customer_data_viewed_or_exported: {
    name: 'Customer data viewed or exported',
    rank: 2,
    description: 'The account reads or exports customer data (customer records, production data, a customer tenant)',
    assets: ['customer_records', 'production_data', 'customer_tenant_access'],
  },
  transaction_authorised: {
    name: 'Transaction authorised',
    rank: 3,
    description: 'The account authorises a transaction in the account holder\'s name (a payment approval)',
    assets: ['payment_approvals'],
  },
} as const;
export type TakeoverKind = keyof typeof TAKEOVER_KINDS;
export const TAKEOVER_KIND_IDS = Object.keys(TAKEOVER_KINDS) as TakeoverKind[];

/** The kinds a takeover of this class can yield (sign-in only always), lowest impact first. */
export function takeoverKindsWithin(cls: AccountClass): TakeoverKind[] {
  const radius: readonly string[] = ACCOUNT_CLASSES[cls].blastRadius;
  return TAKEOVER_KIND_IDS.filter((k) => TAKEOVER_KINDS[k].assets.length === 0 || TAKEOVER_KINDS[k].assets.some((a) => radius.includes(a)));
}

/**
 * What a takeover of this class yields for an attacker with this objective (null: none stated). The
 * objective when the class's blast radius holds it; without an objective, the highest-impact kind in
 * reach; an objective out of reach is capped at the highest-impact kind in reach below it.
 */
export function takeoverKindOf(cls: AccountClass, objective: TakeoverKind | null): { kind: TakeoverKind; objective: TakeoverKind | null; capped: boolean; reason: string } {
  const within = takeoverKindsWithin(cls);
  const top = within[within.length - 1]!;
  if (objective === null) {
    return { kind: top, objective, capped: false, reason: `the highest-impact kind a ${ACCOUNT_CLASSES[cls].name} account yields (no objective stated)` };
  }
  if (within.includes(objective)) return { kind: objective, objective, capped: false, reason: 'the attacker\'s objective, within this account\'s reach' };
  const below = within.filter((k) => TAKEOVER_KINDS[k].rank < TAKEOVER_KINDS[objective].rank);
  const kind = below[below.length - 1]!;
  return {
    kind,
    objective,
    capped: true,
    reason: `the objective (${TAKEOVER_KINDS[objective].name.toLowerCase()}) is beyond a ${ACCOUNT_CLASSES[cls].name} account, whose blast radius holds none of ${TAKEOVER_KINDS[objective].assets.join(', ')}`,
  };
}

/**
 * Who operates a desk (an agent actor), relative to the organisation whose workflow it is
 * (docs/analysis-semantics.md, "Desk operators"):
 * - in_house: the organisation's own staff;
 * - outsourced: a provider's agents working the organisation's desk;
 * - carrier: the target's mobile carrier (a SIM change or port-out done by the carrier's store or desk);
 * - platform_support: the support staff of a platform the organisation uses (identity provider, SaaS),
 *   acting outside the organisation's controls;
 * - unknown: the file does not know who operates it.
 */
export const DESK_OPERATORS = ['in_house', 'outsourced', 'carrier', 'platform_support', 'unknown'] as const;
export type DeskOperator = (typeof DESK_OPERATORS)[number];

/** The name of a routing step its file leaves unnamed: what it does (the loader and the graph use it). */
export const ROUTING_STEP_NAME = 'Route by account class';

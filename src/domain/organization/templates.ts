// SlashID message templates (endpoint table 1, rows 74–76) and the token template (rows 80–81).
// Templates are Mustache, checked by parsing them; an empty field means the default. The token
// template must render to a JSON object.
import Mustache from 'mustache';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from './organization.entity.ts';
import { NotFound, ValidationFailed } from '../errors.ts';

export const TEMPLATE_NAMES = [
  'email_authn_challenge', 'email_otp_message', 'text_authn_challenge', 'text_otp_message',
  'email_password_reset', 'email_password_change_notify', 'text_password_reset', 'text_password_change_notify',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export interface MessageTemplate { senderName: string; subject: string; body: string }

export const MAX_HEADER_BYTES = 128;
export const MAX_EMAIL_BODY_BYTES = 50 * 1024;
export const MAX_SMS_BODY_BYTES = 140;
export const MAX_TOKEN_TEMPLATE_BYTES = 16 * 1024;

const isSms = (name: TemplateName) => name.startsWith('text_');
const email = (subject: string, body: string): MessageTemplate => ({ senderName: 'idgraph', subject, body });
const sms = (body: string): MessageTemplate => ({ senderName: '', subject: '', body });

/** What a template is until an organization sets it. */
export const DEFAULT_TEMPLATES: Record<TemplateName, MessageTemplate> = {
  email_authn_challenge: email('Confirm your login', '<p>Confirm your login to {{organization.name}}: <a href="{{link}}">sign in</a></p>'),
  email_otp_message: email('Your security code', '<p>Your security code is {{otp_code}}</p>'),
  text_authn_challenge: sms('Sign in to {{organization.name}}: {{link}}'),
  text_otp_message: sms('Your security code is {{otp_code}}'),
  email_password_reset: email('Reset your password', '<p>Reset your password: <a href="{{link}}">choose a new one</a></p>'),
  email_password_change_notify: email('Your password was changed', '<p>The password of your {{organization.name}} account was changed.</p>'),
  text_password_reset: sms('Reset your password: {{link}}'),
  text_password_change_notify: sms('Your {{organization.name}} password was changed.'),
};

function assertName(name: string): asserts name is TemplateName {
  if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) {
    throw new NotFound(`No template named "${name.slice(0, 64)}"; templates are ${TEMPLATE_NAMES.join(', ')}`);
  }
}

function assertMustache(field: string, text: string, maxBytes: number) {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new ValidationFailed(`${field} must be at most ${maxBytes} bytes`);
  try {
    Mustache.parse(text);
  } catch (error) {
    throw new ValidationFailed(`${field} is no valid Mustache template: ${(error as Error).message.slice(0, 200)}`);
  }
}

export const templateNames = (): readonly string[] => TEMPLATE_NAMES;

/** The template in force: each field as set, the default where empty or never set. */
export function messageTemplateOf(org: Organization, name: string): MessageTemplate {
  assertName(name);
  const stored = org.messageTemplates?.[name];
  const fallback = DEFAULT_TEMPLATES[name];
  return {
    senderName: stored?.senderName || fallback.senderName,
    subject: stored?.subject || fallback.subject,
    body: stored?.body || fallback.body,
  };
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** The characters that matter in HTML text and attribute values (a link keeps its slashes). */
const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);

/** A message as sent: its template in force rendered with `view`. */
export interface RenderedMessage { sender_name: string; subject: string; body: string }

/**
 * Renders the organization's template `name` (the default where it set none) for one message.
 * Sender and subject are plain text; an e-mail body is HTML, so values are HTML-escaped there.
 * Templates were parsed when stored; one that still fails to render gives way to the default.
 */
export function renderMessage(org: Organization, name: TemplateName, view: Record<string, unknown>): RenderedMessage {
  const plain = (text: string) => Mustache.render(text, view, {}, { escape: (value: unknown) => String(value) });
  const html = (text: string) => Mustache.render(text, view, {}, { escape: escapeHtml });
  const render = (t: MessageTemplate): RenderedMessage => ({
    sender_name: plain(t.senderName), subject: plain(t.subject), body: isSms(name) ? plain(t.body) : html(t.body),
  });
  try {
    return render(messageTemplateOf(org, name));
  } catch {
    return render(DEFAULT_TEMPLATES[name]);
  }
}

/** Stores a template (PUT: every field as sent; an absent or empty one stands for the default). */
export async function setMessageTemplate(em: EntityManager, org: Organization, name: string, input: Partial<MessageTemplate>) {
  assertName(name);
  const next = { senderName: input.senderName ?? '', subject: input.subject ?? '', body: input.body ?? '' };
  if (isSms(name) && (next.senderName || next.subject)) {
    throw new ValidationFailed(`${name} is an SMS template: sender_name and subject must be empty`);
  }
  assertMustache('sender_name', next.senderName, MAX_HEADER_BYTES);
  assertMustache('subject', next.subject, MAX_HEADER_BYTES);
  assertMustache('body', next.body, isSms(name) ? MAX_SMS_BODY_BYTES : MAX_EMAIL_BODY_BYTES);
  org.messageTemplates = { ...(org.messageTemplates ?? {}), [name]: next };
  await em.flush();
  return org;
}

/** A view with every name a template may use, to check that a token template renders to an object. */
const SAMPLE_VIEW = {
  organization: { id: '00000000-0000-0000-0000-000000000000', name: 'Organization' },
  person: { id: '00000000-0000-0000-0000-222222222222', region: 'us-iowa', person_type: 'regular' },
};

/** Renders a token template; JSON values are not HTML-escaped. */
export function renderTokenTemplate(template: string, view: unknown): unknown {
  return JSON.parse(Mustache.render(template, view, {}, { escape: (value: unknown) => JSON.stringify(String(value)).slice(1, -1) }));
}

export async function setTokenTemplate(em: EntityManager, org: Organization, content: string) {
  assertMustache('content', content, MAX_TOKEN_TEMPLATE_BYTES);
  if (content.trim() !== '') {
    let rendered: unknown;
    try { rendered = renderTokenTemplate(content, SAMPLE_VIEW); } catch { rendered = undefined; }
    if (typeof rendered !== 'object' || rendered === null || Array.isArray(rendered)) {
      throw new ValidationFailed('content must render to a JSON object, e.g. { "org_label": "x-{{ organization.name }}" }');
    }
  }
  org.tokenTemplate = content.trim() === '' ? null : content;
  await em.flush();
  return org;
}

export const tokenTemplateOf = (org: Organization) => org.tokenTemplate ?? '';

/**
 * The claims the organization's token template gives a person's user token (none without a
 * template), leaving out the names the token's own claims hold. The view's values are JSON-escaped,
 * so a value cannot change the JSON's structure.
 */
export function tokenTemplateClaims(
  org: Organization, person: { id: string; region: string; personType: string }, reserved: ReadonlySet<string>, groupsClaim: string,
): Record<string, unknown> {
  if (!org.tokenTemplate) return {};
  let rendered: unknown;
  try {
    rendered = renderTokenTemplate(org.tokenTemplate, {
      organization: { id: org.id, name: org.name }, person: { id: person.id, region: person.region, person_type: person.personType },
    });
  } catch { rendered = undefined; }
  if (typeof rendered !== 'object' || rendered === null || Array.isArray(rendered)) {
    throw new ValidationFailed('The organization\'s token template does not render to a JSON object for this person; '
      + 'fix it with PUT /organizations/config/token-template');
  }
  return Object.fromEntries(Object.entries(rendered).filter(([name]) => !reserved.has(name.toLowerCase()) && name !== groupsClaim));
}

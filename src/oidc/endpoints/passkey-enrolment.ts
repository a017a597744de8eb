// The sign-in page's passkey enrolment (after a password sign-in, src/oidc/sign-in-pages.ts):
// the page's script asks for registration options and sends the authenticator's answer. Both
// calls name the authorize request this browser just signed in for (binding cookie + csrf_token):
// it must be signed in and not yet finished, and its person is whom the passkey is for. JSON
// answers: the options, {registered: true}, or {detail} with the domain error's status.
import type { Context } from 'koa';
import { DomainError, httpStatusOf } from '../../domain/errors.ts';
import { findOrganization } from '../../domain/organization/organization.queries.ts';
import { getPersonById } from '../../domain/person/person-lookup.ts';
import { passkeyRegistrationOptions, registerPasskey } from '../../domain/webauthn/passkey-registration.service.ts';
import type { AppServices } from '../../domain/services.ts';
import { readForm, type Params } from '../http.ts';
import { defineEndpoint, type EndpointRequest } from '../endpoint.ts';
import { emOf } from '../browser-flow.ts';
import { csrfMatches, findBrowserRequest } from '../../domain/oauth/authorize.service.ts';
import { cookieOf } from '../http.ts';
import { BINDING_COOKIE } from '../browser-flow.ts';

function json(ctx: Context, status: number, body: unknown) {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

/** The signed-in person of the browser's authorize request, with the tenant; null after answering an error. */
async function enrollee({ ctx }: EndpointRequest, form: Params) {
  const em = emOf(ctx);
  const authorize = await findBrowserRequest(em, form.auth_req_id, cookieOf(ctx, BINDING_COOKIE));
  if (!authorize || !csrfMatches(authorize, form.csrf_token) || authorize.status !== 'authenticated' || !authorize.person) {
    json(ctx, 403, { detail: 'Create a passkey right after signing in, from the sign-in page of this browser' });
    return null;
  }
  const org = await findOrganization(em, authorize.organization.id);
  if (!org) return json(ctx, 404, { detail: 'The organization of this sign-in is gone' }), null;
  return { org, person: await getPersonById(em, authorize.person.id) };
}

async function answering(ctx: Context, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    json(ctx, httpStatusOf[error.code] ?? 400, { detail: error.message });
  }
}

const servicesOf = (ctx: Context) => ctx.state.services as AppServices;

export const passkeyEnrolmentOptions = defineEndpoint({
  kind: 'view', name: 'passkeyEnrolmentOptions', methods: ['POST'],
  async view(request) {
    const { ctx } = request;
    await answering(ctx, async () => {
      const target = await enrollee(request, await readForm(ctx));
      if (!target) return;
      json(ctx, 200, await passkeyRegistrationOptions(emOf(ctx), target.org, target.person, servicesOf(ctx).webauthn()));
    });
  },
});

export const passkeyEnrolment = defineEndpoint({
  kind: 'view', name: 'passkeyEnrolment', methods: ['POST'],
  async view(request) {
    const { ctx } = request;
    await answering(ctx, async () => {
      const form = await readForm(ctx);
      const target = await enrollee(request, form);
      if (!target) return;
      await registerPasskey(emOf(ctx), target.org, target.person, servicesOf(ctx).webauthn(), {
        id: form.id ?? '', rawId: form.raw_id ?? '', clientDataJson: form.client_data_json ?? '',
        attestationObject: form.attestation_object ?? '',
        transports: form.transports ? form.transports.split(',').slice(0, 8) : [],
        authenticatorAttachment: form.authenticator_attachment || null, name: form.name || null,
      });
      json(ctx, 200, { registered: true });
    });
  },
});

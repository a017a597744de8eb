// The consent page's post (third-party clients, prompt=consent): a view of the browser flow.
import { decideConsent } from '../../domain/oauth/authorize.service.ts';
import { readForm, type Params } from '../http.ts';
import { errorPage } from '../pages.ts';
import { defineEndpoint } from '../endpoint.ts';
import { browserRequest, emOf, render } from '../browser-flow.ts';

export const consent = defineEndpoint({
  kind: 'view', name: 'consent', methods: ['POST'],
  async view(request) {
    const { ctx } = request;
    let form: Params;
    try { form = await readForm(ctx); } catch { return errorPage(ctx, 400, 'invalid_request', 'Send the consent form'); }
    const authorize = await browserRequest(request, form, true);
    if (!authorize) return;
    if (authorize.status !== 'authenticated') return errorPage(ctx, 400, 'invalid_request', 'Nothing waits for consent');
    await render(request, await decideConsent(emOf(ctx), authorize, authorize.client.getEntity(), form.decision === 'allow'), true);
  },
});

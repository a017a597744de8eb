// What the Secrets Vault login steps share (/auth/* and the passkey sign-in of /webauthn/*): no
// credentials, the tenant named by `auth_req_id` else `tenant_id`, and answers never cached.
import type { AuthScheme, ParameterDeclaration, RouteInput } from '../../route.ts';
import { authReqIdQuery, loginResult, tenantIdQuery } from '../../schemas/vault.ts';
import { rootOf } from '../declaration-table.ts';

/** A step of a login: no credentials; the tenant is the one of `auth_req_id`, else `tenant_id`. */
export const loginStep: { auth: AuthScheme; parameters: ParameterDeclaration[] } = { auth: 'none', parameters: [tenantIdQuery, authReqIdQuery] };
export const loginTarget = (query: RouteInput['query']) => ({ tenantId: query.tenant_id, authReqId: query.auth_req_id });

export const NO_STORE = { 'Cache-Control': 'no-store' };

/** The one root field an operation selects, never cached (a challenge, options, a login ticket, a clear API key). */
export const uncached = (data: Record<string, unknown>) => ({ body: rootOf(data), headers: NO_STORE });

/** The answer of a finished login: its ticket {nonce, need_verify}, to redeem once (docs/zkp.md). */
export const loginTicket = { respond: uncached, status: 200, responseSchema: loginResult };

// What a declaration says about its inputs and credentials; shared by route declarations and
// the dialects (which supply defaults), so neither imports the other.

export type JsonSchema = Record<string, unknown>;

export interface ParameterDeclaration {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
  description?: string;
  /** Comma-separated list in one value (OpenAPI `style: form, explode: false`). */
  commaSeparated?: boolean;
}

/** Which credentials a route takes. slashid_org_key: SlashID-OrgID + SlashID-API-Key; slashid_api_key:
 *  the key alone (SlashID-OrgID optional, must match); vault_api_key: X-API-Key or Bearer; none. */
export type AuthScheme = 'slashid_org_key' | 'slashid_api_key' | 'vault_api_key' | 'none';

/** A path parameter (an id or a name; path parameters are always required). */
export const pathParameter = (name: string, schema: JsonSchema, description?: string): ParameterDeclaration =>
  ({ name, in: 'path', required: true, schema, ...(description ? { description } : {}) });

/** A path parameter that is a string of at most `maxLength` characters. */
export const stringPath = (name: string, maxLength: number, description?: string) =>
  pathParameter(name, { type: 'string', maxLength }, description);

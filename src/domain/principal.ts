/** Who is calling: every query and change is scoped to this organization (and what it manages). */
export interface Principal {
  organizationId: string;
  /** How the caller proved itself; never the secret itself. */
  method: 'org_api_key' | 'bearer';
}

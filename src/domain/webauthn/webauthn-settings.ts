// The relying party of passkey ceremonies, from configuration: its id (WEBAUTHN_RP_ID, else
// PUBLIC_URL's host name), the origins a ceremony may come from (PUBLIC_URL's origin plus
// WEBAUTHN_ORIGINS) and the user verification asked for (WEBAUTHN_USER_VERIFICATION).
export type UserVerification = 'required' | 'preferred' | 'discouraged';

export interface WebauthnSettings {
  rpId: string;
  origins: string[];
  userVerification: UserVerification;
}

export interface WebauthnConfig {
  webauthnRpId?: string;
  webauthnOrigins?: string[];
  webauthnUserVerification?: UserVerification;
}

/** Read when a ceremony runs: PUBLIC_URL may be the listen address, known only after listen. */
export function webauthnSettings(publicUrl: () => string, config: WebauthnConfig): () => WebauthnSettings {
  let cached: { base: string; settings: WebauthnSettings } | undefined;
  return () => {
    const base = publicUrl();
    if (cached?.base === base) return cached.settings;
    const url = new URL(base);
    const origins = [...new Set([url.origin, ...(config.webauthnOrigins ?? [])])];
    const settings = {
      rpId: config.webauthnRpId ?? url.hostname.replace(/^\[|\]$/g, ''),
      origins,
      userVerification: config.webauthnUserVerification ?? 'preferred',
    };
    cached = { base, settings };
    return settings;
  };
}

// The bench's dev dependencies ship no types; the bench uses a handful of their calls.
declare module 'oidc-provider';
declare module 'autocannon';

// The data regions a person may be in (SlashID's). One database serves them all; the region is
// recorded and filtered on, and a group's members added in one request must share one.

export const REGIONS = ['us-iowa', 'europe-belgium', 'asia-japan', 'europe-england', 'australia-sydney'] as const;
export type RegionName = (typeof REGIONS)[number];

/** The region of a person created without one, unless DEFAULT_REGION names another. */
export const FALLBACK_REGION: RegionName = 'us-iowa';

export const isRegion = (value: unknown): value is RegionName =>
  typeof value === 'string' && (REGIONS as readonly string[]).includes(value);

// Login settings of a tenant: defaults of the Secrets Vault API, and the rules a change must keep.
import type {
  BlockConfig, LivenessConfig, TenantSettings, TenantSettingsInput,
} from '../schema-types.generated.ts';
import { ValidationFailed, type FieldIssue } from '../errors.ts';

export type { TenantSettings };

export const defaultBlockConfig: BlockConfig = {
  ipAttemptsLimit: 5,
  ipAttemptsResetMinutes: 10080,
  userAttemptsLimit: 15,
  userTimeframeSeconds: 300,
  initialBlockSeconds: 60,
  maxBlockTimeMinutes: 2880,
};

export const defaultLivenessConfig: LivenessConfig = {
  numberStepsMin: 4,
  numberStepsMax: 6,
  durationInSeconds: 10,
  numberOfAllowedFailures: 1,
  gestureSet: [],
  numberBlinksMax: 0,
  numberBlinksMin: 10000,
};

export function defaultTenantSettings(displayName = ''): TenantSettings {
  return {
    registerEnable: false,
    is2fa: false,
    usePin: true,
    pinSize: 6,
    usePattern: true,
    patternSize: 3,
    useFaceRecognition: false,
    useLiveness: false,
    displayName,
    showPinWhenTyping: true,
    blockConfig: { ...defaultBlockConfig },
    loginOrder: ['PIN'],
    passkeyEnabled: false,
    hasUsernameAndEmail: true,
    livenessConfig: { ...defaultLivenessConfig },
  };
}

/** The inclusive range of each numeric setting, by its GraphQL name. */
export const TENANT_SETTING_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  pinSize: [4, 12],
  patternSize: [3, 9],
  ipAttemptsLimit: [1, 1_000_000],
  ipAttemptsResetMinutes: [1, 525_600],
  userAttemptsLimit: [1, 1_000_000],
  userTimeframeSeconds: [1, 31_536_000],
  initialBlockSeconds: [1, 31_536_000],
  maxBlockTimeMinutes: [1, 525_600],
  numberStepsMin: [1, 50],
  numberStepsMax: [1, 50],
  durationInSeconds: [1, 600],
  numberOfAllowedFailures: [0, 100],
  numberBlinksMax: [0, 100_000],
  numberBlinksMin: [0, 100_000],
};

export const LOGIN_METHODS = ['PIN', 'PATTERN'];

function checkRanges(values: object, loc: string[], issues: FieldIssue[]) {
  for (const [key, value] of Object.entries(values)) {
    const range = TENANT_SETTING_RANGES[key];
    if (range && typeof value === 'number' && (value < range[0] || value > range[1])) {
      issues.push({
        loc: [...loc, key],
        msg: `must be between ${range[0]} and ${range[1]}`,
        type: 'value_error.range',
      });
    }
  }
}

/** Applies a change over current settings; nested objects given as null fall back to defaults. */
export function mergeTenantSettings(current: TenantSettings, change: TenantSettingsInput): TenantSettings {
  const issues: FieldIssue[] = [];
  checkRanges(change, ['settings'], issues);
  if (change.blockConfig) checkRanges(change.blockConfig, ['settings', 'blockConfig'], issues);
  if (change.livenessConfig) checkRanges(change.livenessConfig, ['settings', 'livenessConfig'], issues);
  if (change.loginOrder) {
    if (change.loginOrder.some((m) => !LOGIN_METHODS.includes(m))) {
      issues.push({ loc: ['settings', 'loginOrder'], msg: `must list only ${LOGIN_METHODS.join(', ')}`, type: 'enum' });
    } else if (new Set(change.loginOrder).size !== change.loginOrder.length) {
      issues.push({ loc: ['settings', 'loginOrder'], msg: 'must not list a method twice', type: 'value_error.list.unique' });
    }
  }
  if (typeof change.displayName === 'string' && change.displayName.length > 255) {
    issues.push({ loc: ['settings', 'displayName'], msg: 'must be at most 255 characters', type: 'string_too_long' });
  }
  if (issues.length) throw new ValidationFailed('Invalid tenant settings', issues);

  const next: TenantSettings = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined || key === 'blockConfig' || key === 'livenessConfig') continue;
    if (value === null) continue;
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (change.blockConfig === null) next.blockConfig = { ...defaultBlockConfig };
  else if (change.blockConfig) next.blockConfig = { ...current.blockConfig, ...stripNulls(change.blockConfig) };
  if (change.livenessConfig === null) next.livenessConfig = { ...defaultLivenessConfig };
  else if (change.livenessConfig) {
    next.livenessConfig = { ...(current.livenessConfig ?? defaultLivenessConfig), ...stripNulls(change.livenessConfig) };
  }
  if (change.loginOrder === null) next.loginOrder = ['PIN'];
  const live = next.livenessConfig;
  if (live && live.numberStepsMin > live.numberStepsMax) {
    throw new ValidationFailed('Invalid tenant settings', [{
      loc: ['settings', 'livenessConfig', 'numberStepsMin'], msg: 'must not exceed numberStepsMax', type: 'value_error',
    }]);
  }
  return next;
}

function stripNulls<T extends object>(value: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as never;
}

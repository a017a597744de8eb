import type { Context } from 'koa';
import type { FieldIssue } from '../../domain/errors.ts';

/** Owns a REST dialect's wire: success bodies, error bodies and the status of each error code. */
export interface Dialect {
  name: 'slashid' | 'vault';
  /** Shown in the OpenAPI document. */
  tag: string;
  writeSuccess(ctx: Context, status: number, body: unknown, meta?: Record<string, unknown>): void;
  writeError(ctx: Context, status: number, code: string, message: string, issues: FieldIssue[]): void;
  /** Status for a domain error code in this dialect. */
  statusOf(code: string): number;
  errorSchema: Record<string, unknown>;
}

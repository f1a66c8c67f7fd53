/**
 * Validation of notebooks against the official nbformat v4.5 JSON schema (vendored in
 * `schema/`, draft-04, checked with Ajv's draft-04 class).
 *
 *     const problems = notebookSchemaErrors(JSON.parse(text)); // [] when valid
 */
import Ajv from "ajv-draft-04";
import type { ValidateFunction } from "ajv";
import schema from "./schema/nbformat.v4.5.schema.json";

let validate: ValidateFunction | undefined;

/** Human-readable schema violations, at most `limit` of them; an empty list means valid. */
export function notebookSchemaErrors(notebook: unknown, limit = 20): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validate(notebook)) return [];
  return (validate.errors ?? []).slice(0, limit).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}

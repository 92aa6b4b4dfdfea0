import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Witness } from '../../domain/audit/chain-verifier.js';

/**
 * The latest checkpoint, kept outside the event log. A log cut short before its latest checkpoint
 * still looks whole from the inside; this file (or a copy an auditor keeps, or publishes) says how
 * far it reached. Whoever can rewrite both the log and this file can hide a truncation: copy the
 * file elsewhere to make that harder.
 */
export const WITNESS_FILE = 'audit-witness.json';

export function witnessPath(dataDir: string): string {
  return join(dataDir, WITNESS_FILE);
}

export function writeWitness(file: string, witness: Witness & { number: number; position: number }): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(witness)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

export function readWitness(file: string): Witness | null {
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Witness>;
  if (typeof parsed.checkpointPosition !== 'number' || typeof parsed.hash !== 'string')
    throw new Error(`${file} is not an audit witness`);
  return { checkpointPosition: parsed.checkpointPosition, hash: parsed.hash };
}

// Types of bench/corpus/cases.mjs, for test/bench/corpus.test.ts (the harness itself is plain JavaScript).

import type { PeerCase, PeerGroup } from './peers.d.mts';

/** A case written here: a peer case whose label file also names its concern and policies. */
export interface OwnCase extends Omit<PeerCase, 'peer'> {
  readonly peer: 'cases';
  readonly concern: string;
  readonly policies: readonly string[];
  readonly models: readonly string[];
  readonly why: string;
}

/** What readOwnCases returns: the cases, their folders, and each malformed label file with why. */
export interface OwnReading {
  readonly groups: PeerGroup[];
  readonly cases: OwnCase[];
  readonly skipped: string[];
}

export const LABEL_FILE: string;
export function checkOf(models: readonly string[]): string;
export function readOwnCases(casesDir: string, parseYaml: (text: string) => unknown, concernOrder: readonly string[]): OwnReading;

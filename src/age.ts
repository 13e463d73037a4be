/** Ages: how long ago a run was, how long a finding stayed open, how long an SLA allows. */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

const UNITS: Readonly<Record<string, number>> = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/**
 * Reads an age as `--since` and `sla:` write it: a whole number of hours, days or weeks (`12h`,
 * `30d`, `2w`). Undefined when the text is not one.
 */
export function parseAge(text: string): number | undefined {
  const match = /^\s*(\d{1,5})\s*([hdw])\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
  return value > 0 ? value : undefined;
}

/** An age in days, to one decimal: what the reports print. */
export function days(ms: number): number {
  return Math.round((ms / DAY_MS) * 10) / 10;
}

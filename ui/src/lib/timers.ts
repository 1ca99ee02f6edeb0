// How long a patient has been in a stage, and how that compares with the stage's standard.
// Pure functions, so the thresholds the board colours by are tested without a clock.

export type TimerState = "none" | "ok" | "amber" | "red";

/** Past the standard is amber; past half as long again is red. No standard, no judgement. */
export function timerState(elapsedMinutes: number, standardMinutes: number | null): TimerState {
  if (standardMinutes === null) return "none";
  if (elapsedMinutes <= standardMinutes) return "ok";
  if (elapsedMinutes <= standardMinutes * 1.5) return "amber";
  return "red";
}

/** Minutes (fractional) from an instant to now; never negative, so a clock skew reads as 0. */
export function elapsedMinutes(since: string, now: Date): number {
  return Math.max(0, (now.getTime() - new Date(since).getTime()) / 60_000);
}

/** "7:05" under an hour, "1:07:05" past it: a running stopwatch, the same in every language. */
export function stopwatch(minutes: number): string {
  const total = Math.floor(minutes * 60 + 1e-6); // 1e-6: float minutes like 67 + 5/60 land a hair short
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Whole minutes past the standard, at least 1 once it is passed (0 while within it). */
export function minutesOver(elapsed: number, standard: number): number {
  return elapsed > standard ? Math.max(1, Math.floor(elapsed - standard)) : 0;
}

/** Whole minutes a booked patient is late for their start (0 until the start has passed). */
export function minutesLate(startsAt: string, now: Date): number {
  return Math.floor(elapsedMinutes(startsAt, now));
}

// How long a patient has been in a stage, and where that stands against the instants Rust
// sends for its standard. Pure functions, tested without a clock.

export type TimerState = "none" | "ok" | "amber" | "red";

/** The timer's colour at `now`, from the instants Rust gives a card (`amber_at`, `red_at`: past
 * the standard, past half as long again). No standard, no judgement. */
export function timerState(now: Date, amberAt: string | null, redAt: string | null): TimerState {
  if (amberAt === null || redAt === null) return "none";
  if (now.getTime() <= new Date(amberAt).getTime()) return "ok";
  if (now.getTime() <= new Date(redAt).getTime()) return "amber";
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

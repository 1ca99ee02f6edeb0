// Who is signed in at this desk, what they may do (both decided by Rust), and the idle lock:
// after the administrator's number of minutes without a key press or a click, the window
// signs out and shows the sign-in screen, with no patient data behind it.
import { api } from "./api";
import type { SignInState, Work } from "./bindings";

export const session = $state<{
  state: SignInState | null;
  /** The window locked itself after this many idle minutes (the sign-in screen says so). */
  lockedAfter: number | null;
  /** Who was signed in when the window locked: the sign-in screen offers them first. */
  lockedUser: string | null;
}>({ state: null, lockedAfter: null, lockedUser: null });

export async function refreshSession(): Promise<void> {
  session.state = await api.signInState();
}

/** The clinic has sign-in and nobody is signed in here: only the sign-in screen shows. */
export function needsSignIn(): boolean {
  return !!session.state?.required && !session.state.signed_in;
}

/** Whether Rust lets the person at the desk do `work` (the window offers only that). */
export function may(work: Work): boolean {
  return session.state?.allowed_work.includes(work) ?? false;
}

/** Signs out to switch user, or locks (`lock`: the same person is offered first again). */
export async function signOut(lock = false, lockedAfter: number | null = null): Promise<void> {
  session.lockedUser = lock ? (session.state?.signed_in?.staff_id ?? null) : null;
  await api.signOut();
  session.lockedAfter = lockedAfter;
  await refreshSession();
}

/** Locks the window after `idle_lock_minutes` without use; returns the stop function. */
export function watchIdle(now: () => number = Date.now): () => void {
  let lastUse = now();
  const used = () => (lastUse = now());
  const events = ["pointerdown", "keydown", "wheel"] as const;
  for (const event of events) window.addEventListener(event, used, { passive: true });
  const clock = setInterval(() => {
    const state = session.state;
    if (!state?.required || !state.signed_in) return;
    if (now() - lastUse >= state.idle_lock_minutes * 60_000) void signOut(true, state.idle_lock_minutes);
  }, 5_000);
  return () => {
    clearInterval(clock);
    for (const event of events) window.removeEventListener(event, used);
  };
}

import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import SignIn from "./SignIn.svelte";
import type { ErrorBody, SignInState } from "../lib/bindings";
import { needsSignIn, session, watchIdle } from "../lib/session.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
});

const locked: SignInState = {
  required: true,
  signed_in: null,
  staff: [
    { id: "a", name: "Marta Ozola", role: "admin" },
    { id: "b", name: "Ilze Kalna", role: "front_desk" },
  ],
  idle_lock_minutes: 10,
  allowed_work: [],
};
const ilze = { staff_id: "b", name: "Ilze Kalna", role: "front_desk" as const };
const signedIn: SignInState = { ...locked, signed_in: ilze, allowed_work: ["patients", "bookings", "flow", "calls", "surveys"] };

const wrongPin: ErrorBody = {
  kind: "invalid",
  message: "That PIN is not Ilze Kalna's",
  field: "pin",
  refusal: { reason: "wrong_sign_in_pin", name: "Ilze Kalna", left: 4 },
  occurrence: null,
  details: {},
};

describe("SignIn", () => {
  it("offers those who can sign in, shows Rust's refusal of a wrong PIN and signs in with the right one", async () => {
    session.state = locked;
    const calls: string[] = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      if (cmd === "sign_in") {
        if ((args as { pin: string }).pin !== "1357") throw wrongPin;
        session.state = signedIn;
        return ilze;
      }
      if (cmd === "sign_in_state") return session.state;
    });
    const onsignedin = vi.fn();
    render(SignIn, { props: { onsignedin } });
    const people = screen.getAllByTestId("sign-in-person");
    expect(people.map((p) => p.textContent)).toEqual([expect.stringContaining("Marta Ozola"), expect.stringContaining("Ilze Kalna")]);
    await fireEvent.click(people[1]);
    await fireEvent.input(screen.getByTestId("sign-in-pin"), { target: { value: "0000" } });
    await fireEvent.click(screen.getByTestId("sign-in-submit"));
    await vi.waitFor(() => expect(screen.getByTestId("sign-in-error").textContent).toContain("That is not Ilze Kalna's PIN (4 tries left"));
    expect(onsignedin).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId("sign-in-pin"), { target: { value: "1357" } });
    await fireEvent.click(screen.getByTestId("sign-in-submit"));
    await vi.waitFor(() => expect(onsignedin).toHaveBeenCalled());
    expect(needsSignIn()).toBe(false);
  });
});

describe("the idle lock", () => {
  it("signs out after the administrator's minutes without use, and not before", async () => {
    vi.useFakeTimers();
    let clock = 0;
    session.state = signedIn;
    const signedOut = vi.fn();
    mockIPC((cmd) => {
      if (cmd === "sign_out") {
        signedOut();
        return null;
      }
      if (cmd === "sign_in_state") return { ...locked };
    });
    const stop = watchIdle(() => clock);
    clock = 9 * 60_000;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(signedOut).not.toHaveBeenCalled();
    // A key press starts the wait again.
    window.dispatchEvent(new KeyboardEvent("keydown"));
    clock = 18 * 60_000;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(signedOut).not.toHaveBeenCalled();
    clock = 19 * 60_000 + 1;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(signedOut).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(needsSignIn()).toBe(true));
    expect(session.lockedAfter).toBe(10);
    expect(session.lockedUser).toBe("b");
    stop();
  });
});

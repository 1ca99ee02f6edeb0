// Tells the app once that the first screen with data is on the glass (startup time is
// measured from that; see src-tauri/src/startup.rs).
import { api } from "./api";

let reported = false;

export function reportFirstPaint(): void {
  if (reported) return;
  reported = true;
  // Two frames: the first runs before the browser paints the new DOM, the second after it.
  requestAnimationFrame(() => requestAnimationFrame(() => void api.firstPaint().catch(() => {})));
}

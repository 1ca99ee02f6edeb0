import { mount } from "svelte";
// Chinese glyphs, bundled for machines with no CJK font of their own (a fresh Debian has none).
// Only the two weights app.css has faces for; each is cut into unicode-range slices, so the
// window loads a slice only when it shows a character in it.
import "@fontsource/noto-sans-sc/400.css";
import "@fontsource/noto-sans-sc/700.css";
import "./app.css";
import App from "./App.svelte";

const app = mount(App, { target: document.getElementById("app")! });

export default app;

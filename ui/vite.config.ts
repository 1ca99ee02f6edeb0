import { defineConfig, type Plugin } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// @fontsource lists a .woff after every .woff2; the window's WebKit reads woff2, so the build
// keeps only those (the .woff copies would add about 7 MB to the app for nothing).
function woff2Only(): Plugin {
  return {
    name: "clinic-journey:woff2-only",
    enforce: "pre",
    transform(code, id) {
      if (!/[\\/]@fontsource[\\/].*\.css$/.test(id)) return null;
      return { code: code.replace(/,\s*url\([^)]*\.woff\)\s*format\(["']woff["']\)/g, ""), map: null };
    },
  };
}

// The window freezes Object.prototype (tauri.conf.json, `freezePrototype`), so assigning a
// property that Object.prototype also has (`constructor`) throws in strict code: the "override
// mistake". ECharts' scheduler does that once, to build mock objects from class prototypes;
// defining the property instead of assigning it keeps both the library and the hardening.
function echartsWithFrozenPrototypes(): Plugin {
  const assignment = "target[name_1] = noop;";
  return {
    name: "clinic-journey:echarts-frozen-prototypes",
    enforce: "pre",
    transform(code, id) {
      if (!/[\\/]echarts[\\/]lib[\\/]core[\\/]Scheduler\.js$/.test(id)) return null;
      if (!code.includes(assignment)) throw new Error("echarts Scheduler.js changed: review the frozen-prototype patch");
      return { code: code.replace(assignment, "Object.defineProperty(target, name_1, { value: noop, writable: true, configurable: true, enumerable: true });"), map: null };
    },
  };
}

// Tauri serves ui/dist; the dev server (npm run dev) listens on the fixed port it expects.
export default defineConfig({
  plugins: [woff2Only(), echartsWithFrozenPrototypes(), svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    // Font slices stay files of their own, fetched only when their characters are shown,
    // rather than base64 inside the stylesheet every start parses.
    assetsInlineLimit: (file) => (/\.woff2?$/.test(file) ? false : undefined),
    // The Insights chunk is mostly ECharts (about 580 kB): loaded from the app's own files
    // when the screen first opens, not over a network.
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});

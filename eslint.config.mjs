// ESLint: Next.js's own rules (React, hooks, accessibility, Core Web Vitals) and its TypeScript
// rules, over every source file. `npm run lint` runs it; the test command fails on any finding,
// warnings included.
import { defineConfig, globalIgnores } from "eslint/config";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import reactHooks from "eslint-plugin-react-hooks";

// React runs only under app/. Elsewhere a `use…` name is a Vitest fixture that registers
// beforeAll/afterAll (useMigratedDatabase, useUploadHarness) or a server function
// (useSecondFactorCode spends a code), and the hooks rules would read them as React hooks.
const reactHooksOff = Object.fromEntries(Object.keys(reactHooks.rules).map((rule) => [`react-hooks/${rule}`, "off"]));

export default defineConfig([
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // `const { license: _omitted, ...rest } = value` is how a test drops one property.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    files: ["lib/**", "test/**", "e2e/**", "bench/**", "scripts/**", "*.{ts,mts,mjs,js,cjs}"],
    rules: reactHooksOff,
  },
  globalIgnores([
    "generated/**",
    ".next/**",
    ".next-*/**",
    "next-env.d.ts",
    "data/**",
    "test-results/**",
    "playwright-report/**",
    "tmp/**",
  ]),
]);

/**
 * ESLint flat config: type-aware typescript-eslint over every TypeScript file (each file is checked
 * with the tsconfig.json nearest to it: the root one, or policy/tsconfig.json for the pack), plus
 * Pulumi's rules that catch an Output interpolated into a plain template literal.
 */
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["node_modules/", "bin/", "policy/node_modules/", "policy/bin/"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    // The plugin ships rules only (no preset), so both are enabled here by name.
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      // The ports (payment gateway, inventory, order store) return Promises, and their
      // implementations and fakes are `async` without awaiting anything on purpose: `async` turns a
      // throw (PaymentError, a validation error) into a rejection, which is what callers handle.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Plain JavaScript (this file, the mocha reporter) is outside every tsconfig: no type information.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    rules: {
      "@pulumi/no-output-in-template-literal": "off",
      "@pulumi/no-output-instance-in-template-literal": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { process: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

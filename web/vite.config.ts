// Builds the app into dist/ (firebase.json's hosting folder). The app is built on client/js
// only: "@flowchat/client" is its TypeScript source, compiled with the app, and the firebase
// SDK it imports resolves to web/'s own pinned copy (one SDK instance in the bundle).
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const clientSource = process.env.FLOWCHAT_CLIENT_SRC
  ?? fileURLToPath(new URL("../client/js/src", import.meta.url));

export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: {
    alias: { "@flowchat/client": `${clientSource}/index.ts` },
    dedupe: ["firebase", "react", "react-dom"],
  },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, target: "es2022" },
  server: { host: "127.0.0.1" },
});

// Builds the app into dist/ (firebase.json's hosting folder). The app is built on client/js
// only: "@flowchat/client" is its TypeScript source, compiled with the app, and the firebase
// SDK it imports resolves to web/'s own pinned copy (one SDK instance in the bundle).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const clientSource = process.env.FLOWCHAT_CLIENT_SRC
  ?? fileURLToPath(new URL("../client/js/src", import.meta.url));

/** `npm run dev`: serves the running stack's .local/stack.json as /stack.json (the built
 * app gets it from scripts/dev.sh's Hosting folder instead). */
function stackJson(): Plugin {
  const stackFile = process.env.FLOWCHAT_STACK_FILE
    ?? fileURLToPath(new URL("../.local/stack.json", import.meta.url));
  return {
    name: "flowchat-stack-json",
    configureServer(server) {
      server.middlewares.use("/stack.json", (_request, response) => {
        try {
          response.setHeader("Content-Type", "application/json");
          response.end(readFileSync(stackFile));
        } catch {
          response.statusCode = 404;
          response.end(`no ${stackFile}: start bash scripts/dev.sh first`);
        }
      });
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [react(), stackJson()],
  resolve: {
    alias: { "@flowchat/client": `${clientSource}/index.ts` },
    dedupe: ["firebase", "react", "react-dom"],
  },
  build: {
    outDir: "dist", emptyOutDir: true, sourcemap: true, target: "es2022",
    // firebase (Auth, Functions, Firestore, RTDB) is most of it: see bench/web_app.py.
    chunkSizeWarningLimit: 1200,
  },
  server: { host: "127.0.0.1" },
});

// Drives client/js's uploads and attachment checks against upload_file, get_upload_signature
// (served over HTTP by the Python test) and the fake Cloudinary. argv[2]: a JSON config
// {functionsHost, functionsPort, projectId, region, idToken, roomId, urls}.
import { readFileSync } from "node:fs";

import { Uploads, UploadError } from "../dist/uploads.js";
import { checkAttachment, isRoomFileUrl } from "../dist/checks.js";
import { print, refusal, step } from "./harness.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const base = `http://${config.functionsHost}:${config.functionsPort}/${config.projectId}/${config.region}`;
const session = { auth: { currentUser: { getIdToken: async () => config.idToken } } };
// The callable protocol over fetch, as the Functions SDK speaks it.
const call = async (name, data) => {
  const response = await fetch(`${base}/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${config.idToken}` },
    body: JSON.stringify({ data }),
  });
  const body = await response.json();
  if (body.error) throw new UploadError(response.status, body.error.status, body.error.message, null);
  return body.result;
};
const options = {
  firebase: { projectId: config.projectId }, region: config.region,
  emulators: { functions: { host: config.functionsHost, port: config.functionsPort } },
};
const uploads = new Uploads(session, call, options);
const png = new Blob([Buffer.from(config.pngBase64, "base64")], { type: "image/png" });

await step("upload-file", async () => {
  const attachment = await uploads.uploadFile(config.roomId, { data: png, name: "dot.png" });
  checkAttachment(config.roomId, "image", attachment, 0);
  return { attachment };
});
await step("upload-direct", async () => {
  const attachment = await uploads.uploadDirect(config.roomId, { data: png, name: "dot.png" });
  checkAttachment(config.roomId, "image", attachment, 0);
  return { attachment };
});
await step("upload-file-refused", async () => {
  const html = new Blob(["<html><script>alert(1)</script></html>"], { type: "text/plain" });
  const refused = await refusal(() => uploads.uploadFile(config.roomId, { data: html, name: "x.txt" }));
  return refused;
});
await step("url-checks", async () => ({
  verdicts: config.urls.map((url) => isRoomFileUrl(config.roomId, url)),
}));
print({ step: "done", ok: true });

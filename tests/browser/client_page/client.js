// client/js (@flowchat/client, its built dist/) bundled into a page: one signed-in user (an
// emulator mock token) per page, driven by the browser tests through window.flowchat.
import { FlowChat } from '../../../client/js/dist/index.js';

let chat = null;
let timeline = [];

const failure = error => ({ ok: false, errorClass: error?.name ?? String(error), code: error?.code ?? null,
                           ...(error?.side ? { side: error.side } : {}) });

window.flowchat = {
  open({ firestore, database, namespace, projectId, uid }) {
    const endpoint = ([host, port]) => ({ host, port: Number(port) });
    chat = new FlowChat({
      firebase: { projectId, apiKey: 'fake-api-key', databaseURL: `http://${database}/?ns=${namespace}` },
      emulators: { firestore: endpoint(firestore.split(':')), database: endpoint(database.split(':')),
                   mockUid: uid },
    });
    return true;
  },
  listen(roomId) {
    chat.messages.listen(roomId, messages => { timeline = messages; });
    return true;
  },
  timeline: () => timeline.map(m => ({ id: m.id, text: m.text, authorId: m.authorId, pending: m.pending })),
  send: async (roomId, text) => {
    try {
      return { ok: true, id: await chat.send(roomId, text) };
    } catch (error) {
      return failure(error);
    }
  },
};

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { FlowChat } from "@flowchat/client";

import { App } from "./App";
import { ChatContext } from "./chat";
import { loadOptions } from "./config";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

loadOptions().then((options) => {
  const chat = new FlowChat(options);
  root.render(
    <StrictMode>
      <ChatContext.Provider value={chat}>
        <App />
      </ChatContext.Provider>
    </StrictMode>,
  );
}).catch((error: unknown) => {
  root.render(<p role="alert">FlowChat cannot start: {String(error)}</p>);
});

// First: the first screen's reads leave before the rest of the code (React's included) is evaluated.
import { queryClient } from "./app/launch";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App client={queryClient} />
  </StrictMode>,
);

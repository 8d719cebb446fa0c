// Renders the reference page from the document Entrepot serves (no asset from elsewhere).
import { init } from "./redoc.standalone.8c70c2de83d33e33.js";

init("/api/v1/openapi.json", { expandResponses: "200,201" }, document.getElementById("redoc"));

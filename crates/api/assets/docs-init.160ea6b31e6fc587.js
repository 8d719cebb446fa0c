// Renders the reference page from the document Entrepot serves (no asset from elsewhere).
Redoc.init("/api/v1/openapi.json", { hideDownloadButton: false, expandResponses: "200,201" }, document.getElementById("redoc"));

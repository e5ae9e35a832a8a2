// Swagger UI over this server's own OpenAPI document, from packaged files only.
"use strict";
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi-3.0.json", dom_id: "#swagger-ui", deepLinking: true });
});

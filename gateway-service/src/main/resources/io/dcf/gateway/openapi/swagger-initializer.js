// The gateway's Swagger UI: its own document only (no URL bar, no ?url=), and the token entered
// through Authorize kept across reloads (persistAuthorization, in this browser's localStorage).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout"
  });
};

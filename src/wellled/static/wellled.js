// Start the NHS.UK frontend components (header menu, error summary focus, ...). Loaded as a module: no inline script.
import { initAll } from "./vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();

// The widget's stylesheets, as text (esbuild's text loader), in cascade order.
import base from "./base.css";
import card from "./card.css";
import inputs from "./inputs.css";
import outputs from "./outputs.css";
import overlays from "./overlays.css";
import preview from "./preview.css";

export const builderCss = [base, card, inputs, outputs, overlays, preview].join("\n");

// The widget's stylesheets, as text (esbuild's text loader), in cascade order.
import base from "./base.css";
import card from "./card.css";
import far from "./far.css";
import inputs from "./inputs.css";
import outputs from "./outputs.css";
import overlays from "./overlays.css";
import pictures from "./pictures.css";
import preview from "./preview.css";

export const builderCss = [base, card, far, inputs, outputs, overlays, preview, pictures].join(
  "\n",
);

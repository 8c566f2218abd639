import { createRender, useModelState } from "@anywidget/react";
import { DatasetSummary } from "./DatasetSummary";
import type { Traits } from "./model";

// Ties each trait name to its type, so a misspelt name or a wrong type fails `tsc`.
function useTrait<K extends keyof Traits & string>(key: K) {
  return useModelState<Traits[K]>(key);
}

function Widget() {
  const [summary] = useTrait("summary");
  return <DatasetSummary summary={summary} />;
}

export default { render: createRender(Widget) };

import { useModel, useModelState } from "@anywidget/react";
import { ReactFlowProvider } from "@xyflow/react";
import flowCss from "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { Builder } from "./Builder";
import { createClient, type MessageChannel } from "./client";
import { type GraphChannel, graphStore } from "./graphStore";
import type { BuilderTraits } from "./protocol";
import { builderCss } from "./styles";

// Ties each trait name to its type, so a misspelt name or a wrong type fails `tsc`.
function useTrait<K extends keyof BuilderTraits & string>(key: K) {
  return useModelState<BuilderTraits[K] | undefined>(key);
}

/** The JobBuilder widget: Python's graph and catalog traits, drawn and edited on a canvas. */
export function JobBuilderApp() {
  const model = useModel();
  const [catalog] = useTrait("catalog");
  const [code] = useTrait("code_lines");
  const store = useMemo(() => graphStore(model as unknown as GraphChannel), [model]);
  const graph = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const client = useMemo(() => createClient(model as unknown as MessageChannel), [model]);
  useEffect(() => client.connect(), [client]);

  return (
    <>
      <style>{flowCss}</style>
      <style>{builderCss}</style>
      <ReactFlowProvider>
        <Builder graph={graph} catalog={catalog ?? []} code={code ?? []} client={client} />
      </ReactFlowProvider>
    </>
  );
}

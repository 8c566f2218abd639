import {
  Background,
  MiniMap,
  type NodeTypes,
  ReactFlow,
  useReactFlow,
  useStoreApi,
} from "@xyflow/react";
import {
  type KeyboardEvent,
  type PointerEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { DragOverlay } from "./canvas/DragOverlay";
import { JobNode } from "./canvas/JobNode";
import { JobSearch } from "./canvas/JobSearch";
import { Notices } from "./canvas/Notices";
import { Toolbar } from "./canvas/Toolbar";
import type { RequestClient } from "./client";
import { collectTargets } from "./compat";
import {
  ActionsContext,
  type BuilderActions,
  type BuilderUi,
  type Fold,
  FoldContext,
  type InputRef,
  SelectionContext,
} from "./context";
import { copyText, saveBytes, useJupyterDark } from "./dom";
import { downloadFile } from "./download";
import { markDropTargets } from "./dropMarks";
import {
  buildEdges,
  DEFAULT_STATUS_COLOR,
  JOB_NODE,
  type JobNode as JobNodeType,
  STATUS_COLORS,
} from "./flow";
import { absolutePath } from "./format";
import { findInput } from "./graph";
import { DEFAULT_CARD } from "./layout";
import { type Handoff, HandoffPanel } from "./panels/HandoffPanel";
import { ParamsPanel } from "./panels/ParamsPanel";
import { PreviewPanel } from "./panels/PreviewPanel";
import type { CatalogEntry, Command, GraphView } from "./protocol";
import { useDrag } from "./useDrag";
import { MIN_ZOOM, useJobNodes } from "./useJobNodes";
import { useNotices } from "./useNotices";

const NODE_TYPES: NodeTypes = { [JOB_NODE]: JobNode };

/** Commands whose "done" message is worth a word on the canvas. */
const ANNOUNCED = new Set<Command["op"]>([
  "connect",
  "connect_result",
  "disconnect",
  "clear_slot",
  "set_param",
  "clear_param",
  "add_job",
  "delete_job",
  "undo",
  "redo",
]);

/** Small projects fit on the canvas; a minimap only helps past this many jobs. */
const MINIMAP_FROM = 8;

const EDITABLE = "input, textarea, select, [contenteditable]";

interface Props {
  graph: GraphView;
  catalog: readonly CatalogEntry[];
  client: RequestClient;
}

export function Builder({ graph, catalog, client }: Props) {
  const rootRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const graphRef = useRef(graph);
  graphRef.current = graph;
  const reactFlow = useReactFlow<JobNodeType>();
  const flowStore = useStoreApi<JobNodeType>();
  const dark = useJupyterDark();
  const { notices, showError, showInfo, clear } = useNotices();
  const [selection, setSelection] = useState<InputRef | null>(null);
  const [handoff, setHandoff] = useState<Handoff | null>(null);
  const [paramsJob, setParamsJob] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const [fold, setFold] = useState<Fold>({ open: true, version: 0 });

  const send = useCallback(
    async (command: Command): Promise<boolean> => {
      try {
        const { reply } = await client.request({ type: "command", command });
        if (ANNOUNCED.has(command.op) && reply.done) {
          showInfo(reply.done);
        }
        return true;
      } catch (error) {
        showError((error as Error).message);
        return false;
      }
    },
    [client, showError, showInfo],
  );

  const targets = useMemo(() => collectTargets(graph), [graph]);
  const targetsRef = useRef(targets);
  targetsRef.current = targets;
  const { drag, startDrag, overlay } = useDrag({
    client,
    rootRef,
    targets: () => targetsRef.current,
    send: (command) => void send(command),
    showError,
    onStart: clear,
  });
  // Verdicts go on the drop targets' DOM nodes, not through React (see dropMarks.ts); again
  // after each graph change, which may draw new targets during a drag.
  // biome-ignore lint/correctness/useExhaustiveDependencies: graph changes draw new targets
  useLayoutEffect(() => {
    if (rootRef.current) {
      markDropTargets(rootRef.current, drag);
    }
  }, [drag, graph]);

  const { nodes, onNodesChange, onNodeDragStop, autoLayout, fitView } = useJobNodes(graph, send);
  const edges = useMemo(() => buildEdges(graph), [graph]);

  const actions: BuilderActions = useMemo(
    () => ({
      command: send,
      startDrag(source, event) {
        if (!graphRef.current.read_only) {
          startDrag(source, event);
        }
      },
      selectInput: (job, input) => {
        setHandoff(null);
        setParamsJob(null);
        setSelection({ job, input });
      },
      showParams: (job) => {
        setHandoff(null);
        setSelection(null);
        setParamsJob(job);
      },
      copyPath(metafile) {
        const path = absolutePath(graphRef.current.root, metafile);
        copyText(path).then(
          () => showInfo(`Copied ${path}`),
          (error: Error) => showError(`Could not copy ${path}: ${error.message}`),
        );
      },
      download(job, output, result, version) {
        const progress = (received: number, size: number) => {
          if (received < size) {
            const percent = Math.floor((100 * received) / size);
            showInfo(`Downloading ${job}.${output}.${result}: ${percent}%`);
          }
        };
        downloadFile(client, { job, output, result, version }, progress).then(
          ({ filename, parts }) => {
            saveBytes(filename, parts);
            showInfo(`Downloaded ${filename}`);
          },
          (error: Error) => showError(error.message),
        );
      },
    }),
    [client, send, startDrag, showError, showInfo],
  );
  const ui: BuilderUi = useMemo(
    () => ({ actions, readOnly: graph.read_only }),
    [actions, graph.read_only],
  );

  // The preview closes when its input is gone (job deleted, or no longer building), the
  // parameters when their job is.
  useEffect(() => {
    if (selection && !findInput(graph, selection.job, selection.input)) {
      setSelection(null);
    }
    if (paramsJob && !graph.jobs.some((job) => job.uid === paramsJob)) {
      setParamsJob(null);
    }
  }, [graph, selection, paramsJob]);

  const addJob = useCallback(
    (entry: CatalogEntry) => {
      const box = canvasRef.current?.getBoundingClientRect();
      const center = box
        ? reactFlow.screenToFlowPosition({
            x: box.left + box.width / 2,
            y: box.top + box.height / 2,
          })
        : { x: 0, y: 0 };
      void send({
        op: "add_job",
        type: entry.key,
        x: Math.round(center.x - DEFAULT_CARD.width / 2),
        y: Math.round(center.y - DEFAULT_CARD.height / 2),
      });
    },
    [reactFlow, send],
  );
  // Building jobs selected on the canvas, in job order: what "Send to CryoSPARC" sends.
  const selectedJobs = useMemo(
    () =>
      nodes
        .filter((node) => node.selected && node.data.job.status === "building")
        .map((node) => node.id),
    [nodes],
  );
  const sendToCryosparc = useCallback(() => {
    const jobs = [...selectedJobs];
    setSelection(null);
    setParamsJob(null);
    setHandoff({ state: "loading", jobs });
    client.request({ type: "handoff", jobs, workspace: "W1" }).then(
      ({ reply }) => setHandoff({ state: "ok", jobs: reply.jobs, script: reply.script }),
      (error: Error) => setHandoff({ state: "error", jobs, error: error.message }),
    );
  }, [client, selectedJobs]);
  const saveWorkflow = useCallback(() => {
    client.request({ type: "workflow", jobs: [...selectedJobs] }).then(
      ({ reply }) => {
        saveBytes(reply.filename, [new TextEncoder().encode(reply.text)]);
        showInfo(`Saved ${reply.filename}`);
      },
      (error: Error) => showError(error.message),
    );
  }, [client, selectedJobs, showError, showInfo]);
  const goTo = useCallback(
    (uid: string) => {
      setSearching(false);
      const store = flowStore.getState();
      store.unselectNodesAndEdges();
      store.addSelectedNodes([uid]);
      void reactFlow.fitView({ nodes: [{ id: uid }], maxZoom: 1, duration: 200 });
      rootRef.current?.focus({ preventScroll: true });
    },
    [flowStore, reactFlow],
  );
  const undo = useCallback(() => void send({ op: "undo" }), [send]);
  const redo = useCallback(() => void send({ op: "redo" }), [send]);

  // JupyterLab handles keys in the bubbling phase on document: stopping them here keeps its
  // shortcuts (and its own undo) out of the widget; data-lm-suppress-shortcuts tells Lumino too.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if ((event.target as Element).closest(EDITABLE)) {
      event.stopPropagation(); // typing stays in the box
      return;
    }
    if (event.key.toLowerCase() === "o" && !(event.ctrlKey || event.metaKey || event.altKey)) {
      // As in CryoSPARC: fold or unfold the outputs of every card.
      setFold((old) => ({ open: old.version === 0 ? true : !old.open, version: old.version + 1 }));
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (!(event.ctrlKey || event.metaKey) || event.altKey) {
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "k" && !event.shiftKey) {
      setSearching(true);
    } else if (key === "z" && !event.shiftKey) {
      undo();
    } else if ((key === "z" && event.shiftKey) || (key === "y" && !event.shiftKey)) {
      redo();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };
  // Clicking anywhere on the widget focuses it, so that its keyboard shortcuts apply.
  const onPointerDownCapture = (event: PointerEvent<HTMLDivElement>) => {
    if (!(event.target as Element).closest(EDITABLE)) {
      rootRef.current?.focus({ preventScroll: true });
    }
  };

  return (
    <div
      ref={rootRef}
      className={`cw-builder${drag ? " cw-dragging" : ""}${dark ? " cw-dark" : ""}`}
      data-testid="job-builder"
      data-revision={graph.revision}
      data-lm-suppress-shortcuts="true"
      role="application"
      aria-label="Job builder"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the canvas takes keyboard shortcuts
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDownCapture={onPointerDownCapture}
    >
      <ActionsContext.Provider value={ui}>
        <FoldContext.Provider value={fold}>
          <Toolbar
            graph={graph}
            catalog={catalog}
            onAddJob={addJob}
            onUndo={undo}
            onRedo={redo}
            onLayout={() => void autoLayout()}
            onFitView={() => fitView()}
            selected={selectedJobs}
            onSend={sendToCryosparc}
            onSaveWorkflow={saveWorkflow}
          />
          <div
            className={`cw-canvas${selection || handoff || paramsJob ? " cw-with-preview" : ""}`}
            ref={canvasRef}
          >
            <SelectionContext.Provider value={selection}>
              <ReactFlow<JobNodeType>
                nodes={nodes}
                edges={edges}
                nodeTypes={NODE_TYPES}
                onNodesChange={onNodesChange}
                onNodeDragStop={onNodeDragStop}
                nodesConnectable={false}
                edgesFocusable={false}
                edgesReconnectable={false}
                deleteKeyCode={null}
                multiSelectionKeyCode="Shift"
                minZoom={MIN_ZOOM}
                maxZoom={2}
                colorMode={dark ? "dark" : "light"}
              >
                <Background gap={20} size={1} />
                {graph.jobs.length > MINIMAP_FROM && (
                  <MiniMap
                    position="bottom-left"
                    style={{ width: 160, height: 100 }}
                    pannable
                    zoomable
                    nodeColor={(node) =>
                      STATUS_COLORS[(node as JobNodeType).data.job.status] ?? DEFAULT_STATUS_COLOR
                    }
                  />
                )}
              </ReactFlow>
            </SelectionContext.Provider>
            <Notices notices={notices} onClose={clear} />
            {searching && (
              <JobSearch jobs={graph.jobs} onChoose={goTo} onClose={() => setSearching(false)} />
            )}
            {graph.jobs.length === 0 && (
              <div className="cw-empty">No jobs yet: add one with “+ Add job”.</div>
            )}
            {selection && (
              <PreviewPanel
                key={`${selection.job}/${selection.input}`}
                client={client}
                selection={selection}
                revision={graph.revision}
                onClose={() => setSelection(null)}
              />
            )}
            {paramsJob && (
              <ParamsPanel
                key={paramsJob}
                client={client}
                job={paramsJob}
                revision={graph.revision}
                command={send}
                onClose={() => setParamsJob(null)}
              />
            )}
            {handoff && !selection && (
              <HandoffPanel
                handoff={handoff}
                onCopied={showInfo}
                onError={showError}
                onClose={() => setHandoff(null)}
              />
            )}
          </div>
          <DragOverlay drag={drag} store={overlay} />
        </FoldContext.Provider>
      </ActionsContext.Provider>
    </div>
  );
}

import { Background, type EdgeTypes, type NodeTypes, ReactFlow } from "@xyflow/react";
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { DragOverlay } from "./canvas/DragOverlay";
import { JobMiniMap } from "./canvas/JobMiniMap";
import { JobNode } from "./canvas/JobNode";
import { JobSearch } from "./canvas/JobSearch";
import { Notices } from "./canvas/Notices";
import { Overview } from "./canvas/Overview";
import { DetourContext, Detours, RoutedEdge } from "./canvas/RoutedEdge";
import { Toolbar } from "./canvas/Toolbar";
import type { RequestClient } from "./client";
import { targetsIn } from "./compat";
import {
  ActionsContext,
  type BuilderUi,
  type Fold,
  FoldContext,
  SelectionContext,
} from "./context";
import { reportFlowError, useJupyterDark } from "./dom";
import { markDropTargets } from "./dropMarks";
import {
  buildEdges,
  JOB_NODE,
  type JobEdge as JobEdgeType,
  type JobNode as JobNodeType,
  ROUTED_EDGE,
  withRoutes,
} from "./flow";
import { findJob } from "./graph";
import { CodePanel } from "./panels/CodePanel";
import { HandoffPanel } from "./panels/HandoffPanel";
import { Inspector } from "./panels/Inspector";
import type { CatalogEntry, GraphView } from "./protocol";
import { useBuilderActions, useSend } from "./useBuilderActions";
import { useDrag } from "./useDrag";
import { useEdgesNear } from "./useEdgesNear";
import { MIN_ZOOM, useJobNodes } from "./useJobNodes";
import { useNotices } from "./useNotices";
import { usePanels } from "./usePanels";
import { usePendingEdge } from "./usePendingEdge";
import { useShortcuts } from "./useShortcuts";
import { useShowMade } from "./useShowMade";

const NODE_TYPES: NodeTypes = { [JOB_NODE]: JobNode };
const EDGE_TYPES: EdgeTypes = { [ROUTED_EDGE]: RoutedEdge };
const NO_EDGES: JobEdgeType[] = [];

/** Parts of a card that do something of their own when clicked. */
const CONTROLS = "button, select, input, textarea, a, .nodrag";

/** Small projects fit on the canvas; a minimap only helps past this many jobs. */
const MINIMAP_FROM = 8;
/**
 * The minimap starts shown past this many jobs, where finding one's way matters more than the
 * corner of the canvas it covers; below, the toolbar's "Map" shows it.
 */
const MAP_SHOWN_FROM = 100;

interface Props {
  graph: GraphView;
  catalog: readonly CatalogEntry[];
  /** Each canvas edit as its line of Python (the `code_lines` trait). */
  code: readonly string[];
  client: RequestClient;
}

/** The job builder: toolbar, canvas of job cards, the panel beside it, and the drag overlay. */
export function Builder({ graph, catalog, code, client }: Props) {
  const rootRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const dark = useJupyterDark();
  const { notices, showError, showInfo, clear } = useNotices();
  const panels = usePanels(graph);
  const [searching, setSearching] = useState(false);
  const [fold, setFold] = useState<Fold>({ open: true, version: 0 });
  // Until the user says otherwise, the map follows the size of the project.
  const [mapOpen, setMapOpen] = useState<boolean | null>(null);
  const mapShown = mapOpen ?? graph.jobs.length > MAP_SHOWN_FROM;

  const graphRef = useRef(graph);
  graphRef.current = graph;
  const send = useSend(client, showError, showInfo);
  const { pending, sendDrop } = usePendingEdge(graph, send);
  const { drag, startDrag, overlay } = useDrag({
    client,
    rootRef,
    targets: (uid) => targetsIn(graphRef.current, uid),
    send: (command) => void sendDrop(command),
    showError,
    onStart: clear,
  });
  const { actions, addJob, handoff, saveWorkflow, goTo, inspectCard, undo, redo } =
    useBuilderActions({
      graph,
      send,
      client,
      rootRef,
      canvasRef,
      showError,
      showInfo,
      startDrag,
      panels,
    });
  // Verdicts go on the drop targets' DOM nodes, not through React (see dropMarks.ts); again
  // after each graph change, which may draw new targets during a drag.
  // biome-ignore lint/correctness/useExhaustiveDependencies: graph changes draw new targets
  useLayoutEffect(() => {
    if (rootRef.current) {
      markDropTargets(rootRef.current, drag);
    }
  }, [drag, graph]);

  const edges = useMemo(() => buildEdges(graph), [graph]);
  const {
    nodes,
    routes,
    fits,
    overview,
    onNodesChange,
    onNodeDragStop,
    autoLayout,
    fitView,
    setOverview,
  } = useJobNodes(graph, edges, send, client, showError);
  useShowMade(graph, drag !== null, fits === 0);
  const routedEdges = useMemo(() => withRoutes(edges, routes), [edges, routes]);
  const near = useEdgesNear(routedEdges);
  const nearEdges = useMemo(() => (pending ? [...near, pending] : near), [near, pending]);
  // Routes found around cards for the edges the layout did not route: kept while the cards
  // stand where they are (one graph), so that panning and zooming do not search again.
  const [detours] = useState(() => new Detours());
  detours.keepFor(edges);
  const ui: BuilderUi = useMemo(
    () => ({ actions, readOnly: graph.read_only }),
    [actions, graph.read_only],
  );
  // Jobs selected on the canvas, in job order, that "Send to CryoSPARC" sends: building
  // jobs, and completed ones only cryoweave has (a selection, an import), which go as
  // External jobs. A workflow file holds the building ones.
  const [selectedJobs, workflowJobs] = useMemo(() => {
    const chosen = nodes.filter(
      (node) =>
        node.selected &&
        (node.data.job.status === "building" ||
          (node.data.job.status === "completed" && !node.data.job.external)),
    );
    const building = chosen.filter((node) => node.data.job.status === "building");
    return [chosen.map((node) => node.id), building.map((node) => node.id)];
  }, [nodes]);
  const shortcuts = useShortcuts({
    rootRef,
    toggleFold: () =>
      setFold((old) => ({ open: old.version === 0 ? true : !old.open, version: old.version + 1 })),
    search: () => setSearching(true),
    undo,
    redo,
    closePanel: panels.closeSide,
  });

  const { inspected } = panels;
  const inspectedJob = inspected ? findJob(graph, inspected.job) : undefined;
  const side = inspectedJob !== undefined || panels.handoff !== null || panels.code;
  return (
    <div
      ref={rootRef}
      className={`cw-builder${dark ? " cw-dark" : ""}`}
      data-testid="job-builder"
      data-revision={graph.revision}
      data-fits={fits}
      data-lm-suppress-shortcuts="true"
      role="application"
      aria-label="Job builder"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the canvas takes keyboard shortcuts
      tabIndex={0}
      onKeyDown={shortcuts.onKeyDown}
      onPointerDownCapture={shortcuts.onPointerDownCapture}
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
            onFitView={() => void fitView()}
            mapShown={graph.jobs.length > MINIMAP_FROM ? mapShown : null}
            onToggleMap={() => setMapOpen(!mapShown)}
            codeLines={code.length}
            codeShown={panels.code}
            onToggleCode={panels.toggleCode}
            selected={selectedJobs}
            building={workflowJobs}
            onSend={() => handoff(selectedJobs)}
            onSaveWorkflow={() => saveWorkflow(workflowJobs)}
          />
          <div className={`cw-canvas${side ? " cw-with-preview" : ""}`} ref={canvasRef}>
            <SelectionContext.Provider value={panels.previewed}>
              <DetourContext.Provider value={detours}>
                <ReactFlow<JobNodeType>
                  nodes={nodes}
                  // Only the edges near the view (useEdgesNear), none in the overview, which
                  // draws them itself: React Flow looks at every edge it holds on each frame
                  // of a pan or zoom and files them all again on each edit.
                  edges={overview ? NO_EDGES : nearEdges}
                  nodeTypes={NODE_TYPES}
                  edgeTypes={EDGE_TYPES}
                  onlyRenderVisibleElements
                  onNodesChange={onNodesChange}
                  onNodeDragStop={onNodeDragStop}
                  onNodeClick={(event, node) => {
                    // A click on the card shows it in the inspector; a click on one of its
                    // controls or drag sources does only what they do, and shift-click only
                    // adds to the selection.
                    if (!(event.shiftKey || (event.target as Element).closest(CONTROLS))) {
                      inspectCard(node.id);
                    }
                  }}
                  nodesConnectable={false}
                  edgesFocusable={false}
                  edgesReconnectable={false}
                  deleteKeyCode={null}
                  multiSelectionKeyCode="Shift"
                  minZoom={MIN_ZOOM}
                  maxZoom={2}
                  colorMode={dark ? "dark" : "light"}
                  // React Flow only warns in development builds; an edge without its handle is a
                  // bug worth seeing (and the browser tests fail on console errors).
                  onError={(code, message) => reportFlowError(rootRef.current, code, message)}
                >
                  <Background gap={20} size={1} />
                  <Overview edges={routedEdges} onChoose={goTo} onShown={setOverview} />
                  {graph.jobs.length > MINIMAP_FROM && mapShown && <JobMiniMap />}
                </ReactFlow>
              </DetourContext.Provider>
            </SelectionContext.Provider>
            <Notices notices={notices} onClose={clear} />
            {searching && (
              <JobSearch
                jobs={graph.jobs}
                onChoose={(uid) => {
                  setSearching(false);
                  goTo(uid);
                }}
                onClose={() => setSearching(false)}
              />
            )}
            {graph.jobs.length === 0 && (
              <div className="cw-empty">No jobs yet: add one with “+ Add job”.</div>
            )}
            {inspected && inspectedJob && (
              <Inspector
                graph={graph}
                job={inspectedJob}
                client={client}
                inspected={inspected}
                onInspect={panels.inspect}
                onClose={panels.closeSide}
              />
            )}
            {panels.code && (
              <CodePanel
                lines={code}
                onCopied={showInfo}
                onError={showError}
                onClose={panels.closeSide}
              />
            )}
            {panels.handoff && (
              <HandoffPanel
                handoff={panels.handoff}
                onCopied={showInfo}
                onError={showError}
                onClose={panels.closeSide}
              />
            )}
          </div>
          <DragOverlay drag={drag} store={overlay} />
        </FoldContext.Provider>
      </ActionsContext.Provider>
    </div>
  );
}

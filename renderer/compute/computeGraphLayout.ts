// The workflow graph layout moved to models/graphLayout.ts, where the HTML report (cli/) can share
// it; the workbench keeps importing it from here.
export { computeGraphLayout, layoutChips, NODE_WIDTH, placeGraph, workflowEdges, wrapText, type EdgeKind, type GraphChip, type GraphEdge, type GraphLayout, type GraphNode } from '../../models/index.ts';

import '@xyflow/react/dist/style.css'
import './canvas.css'
import {
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  Handle,
  MarkerType,
  type Node,
  type NodeChange,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react'
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  ACTIVITY_INFO,
  ACTIVITY_TYPES,
  type ActivityGroup,
  type ActivityType,
  GROUP_TITLES,
  isActivityType,
} from './activity-catalog'
import {
  addActivity,
  autoLayout,
  type CanvasActivity,
  type Clipboard,
  connect,
  connectionProblem,
  copy,
  type History,
  move,
  outletsOf,
  type Position as Pos,
  paste,
  record,
  redo,
  remove,
  transitionDimensions,
  undo,
} from './canvas-model'

/** One issue of the validate route, placed on an activity (or on the campaign when it names none). */
export interface CanvasIssue {
  code: string
  message: string
  activity?: string
  transition?: string
}

interface ActivityNodeData extends Record<string, unknown> {
  activity: CanvasActivity
  outlets: string[]
  issues: CanvasIssue[]
  /** Run figures for the live view: the task status. */
  status?: string
}

type ActivityNode = Node<ActivityNodeData, 'activity'>

function ActivityNodeView({ data, selected }: NodeProps<ActivityNode>) {
  const info = ACTIVITY_INFO[data.activity.type]
  const n = data.outlets.length
  return (
    <div
      className={`canvas-node group-${info.group}${selected ? ' is-selected' : ''}${data.issues.length ? ' has-issues' : ''}`}
      data-activity={data.activity.id}
      data-status={data.status}
    >
      {info.inputs.max > 0 ? <Handle type="target" position={Position.Left} id="in" /> : null}
      <div className="canvas-node-title">{data.activity.label ?? info.title}</div>
      <div className="canvas-node-id">
        {data.activity.id}
        {data.status ? <span className={`canvas-status status-${data.status}`}> · {data.status}</span> : null}
      </div>
      {data.issues.length ? (
        <div className="canvas-node-issues" title={data.issues.map((i) => i.message).join('\n')}>
          {data.issues.length} issue{data.issues.length > 1 ? 's' : ''}
        </div>
      ) : null}
      {data.outlets.map((o, i) => (
        <Handle
          key={o}
          type="source"
          position={Position.Right}
          id={o}
          style={{ top: `${((i + 1) * 100) / (n + 1)}%` }}
          title={`Outlet ${o}`}
        >
          {n > 1 || o !== 'out' ? <span className="canvas-outlet-label">{o}</span> : null}
        </Handle>
      ))}
    </div>
  )
}

const nodeTypes = { activity: ActivityNodeView }
const FIT = { padding: 0.2, maxZoom: 1 }

export interface CampaignCanvasProps {
  history: History
  onChange: (next: History) => void
  issues?: CanvasIssue[]
  /** Count per transition id (test mode and live view). */
  counts?: Record<string, number>
  /** Status per activity id (live view). */
  statuses?: Record<string, string>
  /** The activity whose options are open. */
  selected?: string | null
  onSelect?: (activity: string | null) => void
  /** A transition clicked (preview its population). */
  onTransitionClick?: (transition: string) => void
  readOnly?: boolean
}

/** The campaign canvas: palette, graph, and the edit commands (undo, redo, layout, fit, copy, paste, delete). */
export function CampaignCanvas(props: CampaignCanvasProps) {
  return (
    <ReactFlowProvider>
      <CanvasInner {...props} />
    </ReactFlowProvider>
  )
}

function CanvasInner({
  history,
  onChange,
  issues = [],
  counts,
  statuses,
  onSelect,
  onTransitionClick,
  readOnly = false,
}: CampaignCanvasProps) {
  const flow = useReactFlow()
  const state = history.present
  const [selection, setSelection] = useState<{ nodes: string[]; edges: string[] }>({ nodes: [], edges: [] })
  const [problem, setProblem] = useState<string | null>(null)
  const dragStart = useRef<History | null>(null)
  const clipboard = useRef<Clipboard | null>(null)
  const wrapper = useRef<HTMLDivElement>(null)

  const dims = useMemo(() => transitionDimensions(state), [state])
  const nodes = useMemo<ActivityNode[]>(
    () =>
      state.activities.map((a) => ({
        id: a.id,
        type: 'activity',
        position: a.position,
        selected: selection.nodes.includes(a.id),
        ariaLabel: `${ACTIVITY_INFO[a.type].title} ${a.id}`,
        data: {
          activity: a,
          outlets: outletsOf(a),
          issues: issues.filter((i) => i.activity === a.id),
          ...(statuses?.[a.id] ? { status: statuses[a.id] } : {}),
        },
      })),
    [state, selection.nodes, issues, statuses],
  )
  const edges = useMemo<Edge[]>(
    () =>
      state.transitions.map((t) => {
        const count = counts?.[t.id]
        const outlet = t.output ?? 'out'
        return {
          id: t.id,
          source: t.from,
          target: t.to,
          sourceHandle: outlet,
          targetHandle: 'in',
          selected: selection.edges.includes(t.id),
          markerEnd: { type: MarkerType.ArrowClosed },
          label: `${dims[t.id] ?? ''}${count !== undefined ? ` · ${count.toLocaleString('en')}` : ''}`,
          ariaLabel: `Transition ${t.id} from ${t.from} (${outlet}) to ${t.to}`,
          data: { count },
          className: count !== undefined ? 'has-count' : undefined,
        }
      }),
    [state, dims, counts, selection.edges],
  )

  const apply = useCallback((next: History) => onChange(next), [onChange])

  const onNodesChange = useCallback(
    (changes: NodeChange<ActivityNode>[]) => {
      let h = history
      const positions: Record<string, Pos> = {}
      let dragEnded = false
      const removed: string[] = []
      const sel = { ...selection, nodes: [...selection.nodes] }
      let selChanged = false
      for (const c of changes) {
        if (c.type === 'position' && c.position && !readOnly) {
          positions[c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) }
          if (c.dragging && !dragStart.current) dragStart.current = history
        }
        if (c.type === 'position' && c.dragging === false) dragEnded = true
        if (c.type === 'remove' && !readOnly) removed.push(c.id)
        if (c.type === 'select') {
          selChanged = true
          sel.nodes = c.selected ? [...new Set([...sel.nodes, c.id])] : sel.nodes.filter((n) => n !== c.id)
        }
      }
      if (Object.keys(positions).length > 0) h = { ...h, present: move(h.present, positions) }
      if (dragEnded && dragStart.current) {
        h = record(dragStart.current, h.present)
        dragStart.current = null
      }
      if (removed.length > 0) h = record(h, remove(h.present, { activities: removed }))
      if (h !== history) apply(h)
      if (selChanged) {
        setSelection(sel)
        onSelect?.(sel.nodes.length === 1 ? sel.nodes[0]! : null)
      }
    },
    [history, selection, apply, onSelect, readOnly],
  )

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const removed = changes.filter((c) => c.type === 'remove').map((c) => c.id)
      const selected = changes.filter((c) => c.type === 'select')
      if (removed.length > 0 && !readOnly)
        apply(record(history, remove(history.present, { transitions: removed })))
      if (selected.length > 0)
        setSelection((s) => {
          let e = s.edges
          for (const c of selected)
            if (c.type === 'select') e = c.selected ? [...new Set([...e, c.id])] : e.filter((x) => x !== c.id)
          return { ...s, edges: e }
        })
    },
    [history, apply, readOnly],
  )

  const onConnect = useCallback(
    (c: Connection) => {
      if (readOnly || !c.source || !c.target) return
      try {
        apply(record(history, connect(history.present, c.source, c.sourceHandle ?? 'out', c.target).state))
        setProblem(null)
      } catch (e) {
        setProblem((e as Error).message)
      }
    },
    [history, apply, readOnly],
  )

  const isValidConnection = useCallback(
    (c: Connection | Edge) =>
      !readOnly &&
      Boolean(c.source && c.target) &&
      connectionProblem(history.present, c.source, c.sourceHandle ?? 'out', c.target) === null,
    [history, readOnly],
  )

  const place = useCallback(
    (type: ActivityType, position?: Pos) => {
      let at = position
      if (!at) {
        const box = wrapper.current?.getBoundingClientRect()
        const centre = box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: 200, y: 200 }
        at = flow.screenToFlowPosition(centre)
        at = { x: Math.round(at.x - 90), y: Math.round(at.y - 32 + state.activities.length * 8) }
      }
      const r = addActivity(state, type, at)
      apply(record(history, r.state))
      setSelection({ nodes: [r.id], edges: [] })
      onSelect?.(r.id)
    },
    [flow, state, history, apply, onSelect],
  )

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault()
      const type = e.dataTransfer.getData('application/x-ahub-activity')
      if (!isActivityType(type)) return
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY })
      place(type, { x: Math.round(p.x - 90), y: Math.round(p.y - 32) })
    },
    [flow, place],
  )

  const commands = {
    undo: () => apply(undo(history)),
    redo: () => apply(redo(history)),
    layout: () => {
      apply(record(history, autoLayout(state)))
      requestAnimationFrame(() => flow.fitView(FIT))
    },
    fit: () => flow.fitView(FIT),
    copy: () => {
      if (selection.nodes.length) clipboard.current = copy(state, selection.nodes)
    },
    paste: () => {
      if (!clipboard.current) return
      const r = paste(state, clipboard.current)
      apply(record(history, r.state))
      setSelection({ nodes: r.ids, edges: [] })
    },
    remove: () => {
      if (!selection.nodes.length && !selection.edges.length) return
      apply(record(history, remove(state, { activities: selection.nodes, transitions: selection.edges })))
      setSelection({ nodes: [], edges: [] })
      onSelect?.(null)
    },
  }

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (readOnly) return
    const target = e.target as HTMLElement
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return
    const mod = e.ctrlKey || e.metaKey
    const k = e.key.toLowerCase()
    if (mod && k === 'z' && !e.shiftKey) commands.undo()
    else if (mod && (k === 'y' || (k === 'z' && e.shiftKey))) commands.redo()
    else if (mod && k === 'c') commands.copy()
    else if (mod && k === 'v') commands.paste()
    else return
    e.preventDefault()
  }

  // A definition opened with activities is fitted to the view once (an empty canvas stays at 100 %).
  const opened = useRef(state.activities.length === 0)
  useEffect(() => {
    if (opened.current) return
    opened.current = true
    requestAnimationFrame(() => flow.fitView(FIT))
  }, [flow])

  const groups = Object.keys(GROUP_TITLES) as ActivityGroup[]
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: keyboard shortcuts of the canvas region
    <div className="canvas-shell" onKeyDown={onKeyDown}>
      {readOnly ? null : (
        <nav className="canvas-palette" aria-label="Activities">
          {groups.map((g) => (
            <div key={g} className="canvas-palette-group">
              <p className="nav-group">{GROUP_TITLES[g]}</p>
              <ul>
                {ACTIVITY_TYPES.filter((t) => ACTIVITY_INFO[t].group === g).map((t) => (
                  <li key={t}>
                    <button
                      type="button"
                      className={`palette-item group-${g}`}
                      draggable
                      data-activity-type={t}
                      onDragStart={(e) => {
                        e.dataTransfer.setData('application/x-ahub-activity', t)
                        e.dataTransfer.effectAllowed = 'move'
                      }}
                      onClick={() => place(t)}
                    >
                      {ACTIVITY_INFO[t].title}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
      )}
      <div className="canvas-main">
        <div className="canvas-toolbar" role="toolbar" aria-label="Canvas">
          {readOnly ? null : (
            <>
              <button type="button" onClick={commands.undo} disabled={!history.past.length}>
                Undo
              </button>
              <button type="button" onClick={commands.redo} disabled={!history.future.length}>
                Redo
              </button>
              <button type="button" onClick={commands.copy} disabled={!selection.nodes.length}>
                Copy
              </button>
              <button type="button" onClick={commands.paste}>
                Paste
              </button>
              <button
                type="button"
                onClick={commands.remove}
                disabled={!selection.nodes.length && !selection.edges.length}
              >
                Delete
              </button>
            </>
          )}
          <button type="button" onClick={commands.layout}>
            Auto layout
          </button>
          <button type="button" onClick={commands.fit}>
            Zoom to fit
          </button>
          {problem ? (
            <span className="canvas-problem" role="status">
              {problem}
            </span>
          ) : null}
        </div>
        <section
          className="canvas-flow"
          ref={wrapper}
          aria-label="Campaign graph"
          onDragOver={(e) => {
            e.preventDefault()
            e.dataTransfer.dropEffect = 'move'
          }}
          onDrop={onDrop}
        >
          <ReactFlow<ActivityNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onEdgeClick={(_, e) => onTransitionClick?.(e.id)}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
            minZoom={0.1}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </section>
      </div>
    </div>
  )
}
